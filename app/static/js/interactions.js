// Contact log: the contact form's company change, permit rows and keys. Every page works without
// this file: the company picker is then a plain search ("Sök företag") and every permit row shows.
(function () {
  "use strict";

  // ---- The company picker (the shared macro, companypick.js): picking another company than the
  // form is for re-opens the form for it – its contact persons, open cases and suggested focus
  // area – with the subject focused. What the user changed in the form comes along in the query
  // string (as "Nytt företag" carries it); an untouched form opens clean. ----
  var NOT_CARRIED = ["csrf_token", "form_token", "version", "company", "company_id", "company_search", "company_new"];

  function initCompanyChange(form) {
    var field = form.querySelector("[data-company-field]");
    if (!field) { return; }
    var input = field.querySelector("[data-combobox-input]");
    var changed = false;
    form.addEventListener("input", function (e) { if (!field.contains(e.target)) { changed = true; } });
    form.addEventListener("change", function (e) { if (!field.contains(e.target)) { changed = true; } });
    input.addEventListener("change", function () {
      var hidden = field.querySelector("[data-company-value]");
      var id = hidden ? hidden.value : "";
      if (!id || id === form.getAttribute("data-company-id")) { return; }
      var query = [["company_id", id]];
      if (changed) {
        new FormData(form).forEach(function (value, key) {
          if (NOT_CARRIED.indexOf(key) < 0 && typeof value === "string" && value !== "") { query.push([key, value]); }
        });
      }
      window.location.assign(form.getAttribute("data-new-url") + "?" + query.map(function (kv) {
        return encodeURIComponent(kv[0]) + "=" + encodeURIComponent(kv[1]);
      }).join("&"));
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
    document.querySelectorAll("[data-contact-form]").forEach(function (form) {
      initCompanyChange(form);
      initContactForm(form);
    });
  });
})();
