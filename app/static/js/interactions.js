// Contact log: the company picker (the shared combobox of combobox.js) and the contact form's
// permit rows and keys. Every page works without this file: the picker is then a plain search form.
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

  // ---- Contact form: "Gällde tillstånd" shows one permit row, "Lägg till ett tillstånd" the next;
  // Enter on a radio button or checkbox saves (as Enter in a text field does); the date for
  // "Välj datum"; "Fler uppgifter" opens when it holds an error. Without this file every permit row
  // shows and the form works the same. ----
  function renumber(row, index) {
    row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) { el.setAttribute(attr, v.replace(/permit_rows-\d+-/g, "permit_rows-" + index + "-")); }
      });
    });
    var legend = row.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.replace(/\d+\s*$/, String(index + 1)); }
  }

  function initPermitRows(form) {
    var toggle = form.querySelector("[data-permit-toggle]");
    var block = form.querySelector("[data-permit-rows]");
    var add = form.querySelector("[data-add-permit]");
    if (!toggle || !block || !add) { return; }
    function rows() { return Array.prototype.slice.call(block.querySelectorAll("[data-permit-row]")); }
    function used(row) {
      var select = row.querySelector("select");
      return !!(select && select.value) || Array.prototype.some.call(
        row.querySelectorAll("textarea, input"), function (el) { return el.value.trim() !== ""; });
    }
    function showNext() {
      var hiddenRow = rows().filter(function (r) { return r.hidden; })[0];
      if (!hiddenRow) {
        var all = rows();
        hiddenRow = all[all.length - 1].cloneNode(true);
        renumber(hiddenRow, all.length);
        hiddenRow.querySelectorAll("select, textarea, input").forEach(function (el) { el.value = ""; });
        hiddenRow.querySelectorAll(".error").forEach(function (el) { el.remove(); });
        block.insertBefore(hiddenRow, add);
      }
      hiddenRow.hidden = false;
      return hiddenRow;
    }
    // One row at first: the first row and every row that holds something stay shown.
    rows().forEach(function (row, i) { row.hidden = i > 0 && !used(row); });
    function sync() {
      block.hidden = !toggle.checked;
      block.disabled = !toggle.checked;  // a hidden row is not sent
      Array.prototype.forEach.call(block.querySelectorAll("select, textarea, input"), function (el) {
        el.disabled = !toggle.checked;
      });
    }
    add.hidden = false;
    add.addEventListener("click", function () {
      var row = showNext();
      var select = row.querySelector("select");
      if (select) { select.focus(); }
    });
    toggle.addEventListener("change", function () {
      sync();
      if (toggle.checked) {
        var select = rows()[0].querySelector("select");
        if (select && !select.value) { select.focus(); }
      }
    });
    sync();
  }

  function initContactForm(form) {
    var followup = form.querySelector("select[name=followup]");
    var followupOn = form.querySelector("input[name=followup_on]");
    function syncFollowup() {
      if (!followup || !followupOn) { return; }
      var wrap = followupOn.closest(".field");
      if (wrap) { wrap.hidden = followup.value !== "date" && !followupOn.value; }
    }
    if (followup) { followup.addEventListener("change", syncFollowup); }
    syncFollowup();
    initPermitRows(form);
    form.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key === "Enter" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey &&
          t.tagName === "INPUT" && (t.type === "radio" || t.type === "checkbox") &&
          !t.hasAttribute("data-permit-toggle")) {
        e.preventDefault();
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    });
    var more = form.querySelector("details.more-fields");
    if (more && more.querySelector(".field--error")) { more.open = true; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-company-picker]").forEach(initPicker);
    document.querySelectorAll("[data-contact-form]").forEach(initContactForm);
  });
})();
