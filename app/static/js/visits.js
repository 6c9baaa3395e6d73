// Company visits: the "Skriv ut" button on the visit brief (no inline script under the CSP), and
// the plan-a-visit form's company picker (the shared combobox of combobox.js) whose pick fetches
// the company's contact persons for the host choice. Without this file the form still works:
// the server resolves the typed company and "Hämta företagets kontaktpersoner" shows the hosts.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  function initVisitForm(form) {
    var picker = form.querySelector("[data-company-picker]");
    var hidden = form.querySelector("input[name=company_id]");
    var host = form.querySelector("select[name=host_contact_person_id]");
    var hostName = form.querySelector("input[name=host_name]");
    var refresh = form.querySelector("[data-host-refresh]");
    if (!picker || !hidden || !host || !window.LotsbokCombobox || !window.fetch) { return; }
    var input = picker.querySelector("[data-combobox-input]");
    var hostsUrl = form.getAttribute("data-hosts-url");
    if (refresh) { refresh.hidden = true; }
    var box = null;

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

    function choose(company) {
      hidden.value = String(company.id);
      input.value = company.name;
      var n = null;
      fetch(hostsUrl + "?company_id=" + encodeURIComponent(company.id), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (persons) {
          setHosts(persons);
          n = persons.length;
          box.announce(company.name + " är valt. " + (n === 1 ? "1 kontaktperson" : n + " kontaktpersoner") + " att välja som värd.");
        })
        .catch(function () { box.announce(company.name + " är valt."); });
    }

    // Typing another name drops the picked company: the server resolves the text then.
    input.addEventListener("input", function () { hidden.value = ""; });

    box = window.LotsbokCombobox({
      input: input,
      listbox: picker.querySelector("[data-combobox-listbox]"),
      status: picker.querySelector("[data-combobox-status]"),
      url: picker.getAttribute("data-search-url"),
      count: function (n) { return n === 1 ? "1 företag. Pil ned för att välja." : n + " företag. Pil ned för att välja."; },
      none: function () { return "Inga företag matchar."; },
      choose: choose
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-visit-form]").forEach(initVisitForm);
  });
})();
