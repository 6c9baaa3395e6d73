// The user picker (templates/_macros/userpick.html, app/auth/userpick.py): the text input of
// every [data-user-picker] becomes the shared combobox (combobox.js), fed by /anvandare-sok.
// One user: picking fills the hidden id and shows the name. Several users: picking adds a checked
// checkbox to the chosen list and empties the input. Without this file the input is plain text
// that the server resolves on submit.
(function () {
  "use strict";

  function initUserPicker(root) {
    var input = root.querySelector("[data-combobox-input]");
    var multiple = root.hasAttribute("data-multiple");
    var hidden = root.querySelector("[data-userpick-value]");
    var chosen = root.querySelector("[data-userpick-chosen]");
    var empty = root.querySelector("[data-userpick-empty]");
    if (!input || !window.LotsbokCombobox || (multiple ? !chosen : !hidden)) { return; }
    var box = null;

    function addChosen(id, name) {
      var existing = chosen.querySelector('input[type=checkbox][value="' + id + '"]');
      if (existing) {
        existing.checked = true;
        return;
      }
      var li = document.createElement("li");
      li.className = "checkbox";
      var check = document.createElement("input");
      check.type = "checkbox";
      check.name = root.getAttribute("data-name");
      check.value = id;
      check.id = input.id + "-u" + id;
      check.checked = true;
      var label = document.createElement("label");
      label.setAttribute("for", check.id);
      label.textContent = name;
      li.appendChild(check);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(label);
      chosen.appendChild(li);
      if (empty) { empty.hidden = true; }
    }

    function choose(user) {
      var id = String(user.id);
      if (multiple) {
        addChosen(id, user.name);
        var count = chosen.querySelectorAll("input[type=checkbox]:checked").length;
        box.show("", user.name + " är tillagd. " + count + (count === 1 ? " vald." : " valda."));
      } else {
        hidden.value = id;
        box.show(user.name, user.name + " är vald.");
      }
    }

    box = window.LotsbokCombobox({
      input: input,
      listbox: root.querySelector("[data-combobox-listbox]"),
      status: root.querySelector("[data-combobox-status]"),
      url: root.getAttribute("data-search-url"),
      noun: ["förslag", "förslag"],
      none: function () { return "Ingen matchar."; },
      choose: choose
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-user-picker]").forEach(initUserPicker);
  });
})();
