// Company visits: the "Skriv ut" button on the visit brief (no inline script under the CSP), and
// the plan-a-visit form's host choices that follow the company picked in its company picker.
// Without this file the form still works: "Sök företag" shows the chosen company's hosts.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // The host choices follow the company picked in the form's company picker (the shared macro,
  // companypick.js, which sets the hidden id and then fires "change" on the text input).
  function initVisitForm(form) {
    var field = form.querySelector("[data-company-field]");
    var host = form.querySelector("select[name=host_contact_person_id]");
    var hostName = form.querySelector("input[name=host_name]");
    if (!field || !host || !window.LotsbokCombobox || !window.fetch) { return; }
    var input = field.querySelector("[data-combobox-input]");
    var status = field.querySelector("[data-combobox-status]");
    var hostsUrl = form.getAttribute("data-hosts-url");
    var shown = null;

    // The host choices follow the company: the first option ("– Ingen –") stays.
    function setHosts(persons) {
      var keep = host.options[0];
      var typed = hostName ? hostName.value.trim().toLowerCase() : "";
      host.textContent = "";
      host.appendChild(keep);
      persons.forEach(function (p) {
        var option = document.createElement("option");
        option.value = String(p.id);
        option.textContent = p.label;
        // A host typed before the company was picked becomes the contact person of that name.
        if (typed && p.name.toLowerCase() === typed) {
          option.selected = true;
          hostName.value = "";
        }
        host.appendChild(option);
      });
      var hint = document.getElementById(host.id + "-hint");
      if (hint) { hint.hidden = true; }
    }

    input.addEventListener("change", function () {
      var hidden = field.querySelector("[data-company-value]");
      var id = hidden ? hidden.value : "";
      if (!id || id === shown) { return; }
      shown = id;
      var name = input.value;
      window.LotsbokCombobox.getJSON(hostsUrl + "?company_id=" + encodeURIComponent(id), function (persons) {
        setHosts(persons);
        var n = persons.length;
        if (status) {
          status.textContent = name + " är valt. " + (n === 1 ? "1 kontaktperson" : n + " kontaktpersoner") + " att välja som värd.";
        }
      });
    });
    var hidden = field.querySelector("[data-company-value]");
    if (hidden && hidden.value) { shown = hidden.value; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-visit-form]").forEach(initVisitForm);
  });
})();
