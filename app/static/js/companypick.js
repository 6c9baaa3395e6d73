// The company picker of every form that names a company (templates/_macros/company_picker.html,
// app/companies/picker.py): the text input of each [data-company-field] becomes the shared
// combobox (combobox.js), fed by /foretag/forslag. Picking fills the hidden id and shows the name;
// typing something else clears the id. Without this file the field is a plain search that the
// server answers with a choice list ("Sök företag"), so the no-JS button goes once this runs.
(function () {
  "use strict";

  function initCompanyField(root) {
    if (root.hasAttribute("data-company-ready")) { return; }
    var input = root.querySelector("[data-combobox-input]");
    if (!input || !window.LotsbokCombobox || !window.fetch) { return; }
    root.setAttribute("data-company-ready", "");
    var hidden = root.querySelector("[data-company-value]");
    var chosenName = hidden && hidden.value ? input.value : null;
    var box = null;

    function hiddenInput() {
      if (!hidden) {
        hidden = document.createElement("input");
        hidden.type = "hidden";
        var radio = root.querySelector("[data-company-choices] input[type=radio]");
        hidden.name = radio ? radio.name : "company_id";
        hidden.setAttribute("data-company-value", "");
        root.insertBefore(hidden, input);
      }
      return hidden;
    }

    // The form's contact-person <select> (data-people-select) follows the company picked.
    function refillPeople(companyId) {
      var select = document.getElementById(root.getAttribute("data-people-select") || "");
      var url = root.getAttribute("data-people-url");
      if (!select || !url) { return; }
      window.LotsbokCombobox.getJSON(url.replace("/0/", "/" + companyId + "/"), function (people) {
        while (select.options.length > 1) { select.remove(1); }
        people.forEach(function (p) { select.add(new Option(p.label, String(p.id))); });
      });
    }

    function choose(company) {
      var choices = root.querySelector("[data-company-choices]");
      if (choices) { choices.parentNode.removeChild(choices); }
      hiddenInput().value = String(company.id);
      chosenName = company.name;
      refillPeople(company.id);
      box.show(company.name, company.name + " är valt.");
    }

    box = window.LotsbokCombobox({
      input: input,
      listbox: root.querySelector("[data-combobox-listbox]"),
      status: root.querySelector("[data-combobox-status]"),
      url: root.getAttribute("data-search-url"),
      noun: ["företag", "företag"],
      none: function () {
        return root.querySelector("[data-company-new]")
          ? "Inga företag matchar. Välj Nytt företag för att registrera det."
          : "Inga företag matchar.";
      },
      choose: choose
    });
    if (!box) { return; }

    input.addEventListener("input", function () {
      if (hidden && hidden.value && input.value !== chosenName) {
        hidden.value = "";
        chosenName = null;
      }
    });

    var search = root.querySelector("[data-company-search]");
    if (search) { search.parentNode.removeChild(search); }
  }

  // Enter in a text field submits a form with its default button – the first submit button in the
  // form, which is the picker's "Sök företag"/"Nytt företag" when the company field comes first. So
  // in a form with a picker, Enter in a text field (the picker's own list closed) presses the form's
  // first submit button outside the picker instead: the save button, as in any other form.
  var TEXT_TYPES = ["text", "search", "email", "tel", "url", "number", "date", "time", "datetime-local", "month", "week", "password"];

  function saveButton(form) {
    var buttons = form.querySelectorAll("button:not([type]), button[type=submit], input[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      if (!buttons[i].closest("[data-company-field]")) { return buttons[i]; }
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.defaultPrevented || event.isComposing) { return; }
    var field = event.target;
    if (!field || field.tagName !== "INPUT" || TEXT_TYPES.indexOf(field.type) < 0 || !field.form) { return; }
    if (!field.form.querySelector("[data-company-field]")) { return; }
    if (field.getAttribute("aria-expanded") === "true") { return; }  // a combobox picks with Enter
    var button = saveButton(field.form);
    if (!button || typeof field.form.requestSubmit !== "function") { return; }
    event.preventDefault();
    field.form.requestSubmit(button);
  });

  function initAll() {
    document.querySelectorAll("[data-company-field]").forEach(initCompanyField);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
