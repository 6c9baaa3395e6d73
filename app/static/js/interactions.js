// Contact log: the company picker (the shared combobox of combobox.js) and small helpers on the
// contact form. Every page works without this file: the picker is then a plain search form.
(function () {
  "use strict";

  // ---- Company picker: the shared combobox (combobox.js); Enter opens the form for the company. ----
  function initPicker(form) {
    if (!window.LotsbokCombobox) { return; }
    window.LotsbokCombobox({
      input: form.querySelector("[data-combobox-input]"),
      listbox: form.querySelector("[data-combobox-listbox]"),
      status: form.querySelector("[data-combobox-status]"),
      url: form.getAttribute("data-search-url"),
      count: function (n) { return n === 1 ? "1 företag. Pil ned för att välja." : n + " företag. Pil ned för att välja."; },
      none: function () { return "Inga företag matchar."; },
      choose: function (company) { window.location.assign(company.url); },
      searchNow: true
    });
  }

  // ---- Contact form: show permit rows for tillståndsvägledning, the date for "Välj datum". ----
  function initContactForm(form) {
    var kind = form.querySelector("select[name=kind]");
    var permits = form.querySelector("[data-permit-rows]");
    var followup = form.querySelector("select[name=followup]");
    var followupOn = form.querySelector("input[name=followup_on]");

    function permitsInUse() {
      return Array.prototype.some.call(permits.querySelectorAll("select"), function (s) { return s.value; });
    }
    function syncPermits() {
      if (!kind || !permits) { return; }
      permits.hidden = !(kind.value === "permit_guidance" || permitsInUse());
    }
    function syncFollowup() {
      if (!followup || !followupOn) { return; }
      var wrap = followupOn.closest(".field");
      if (wrap) { wrap.hidden = followup.value !== "date"; }
    }
    if (kind) { kind.addEventListener("change", syncPermits); }
    if (followup) { followup.addEventListener("change", syncFollowup); }
    syncPermits();
    syncFollowup();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-company-picker]").forEach(initPicker);
    document.querySelectorAll("[data-contact-form]").forEach(initContactForm);
  });
})();
