// The user picker (templates/_macros/userpick.html, app/auth/userpick.py): turns the text input of
// every [data-user-picker] into a WAI-ARIA 1.2 combobox with a listbox popup
// (aria-activedescendant), fed by /anvandare-sok. One user: picking fills the hidden id and shows
// the name. Several users: picking adds a checked checkbox to the chosen list and empties the input.
// Without this file the input is plain text that the server resolves on submit.
(function () {
  "use strict";

  function initUserPicker(root) {
    var input = root.querySelector("[data-combobox-input]");
    var listbox = root.querySelector("[data-combobox-listbox]");
    var status = root.querySelector("[data-combobox-status]");
    var url = root.getAttribute("data-search-url");
    var multiple = root.hasAttribute("data-multiple");
    var hidden = root.querySelector("[data-userpick-value]");
    var chosen = root.querySelector("[data-userpick-chosen]");
    var empty = root.querySelector("[data-userpick-empty]");
    if (!input || !listbox || !status || !url || !window.fetch) { return; }
    if (multiple ? !chosen : !hidden) { return; }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var options = [];
    var active = -1;
    var timer = null;
    var lastQuery = null;

    function announce(text) { status.textContent = text; }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function addChosen(id, name) {
      var existing = chosen.querySelector('input[type=checkbox][value="' + id + '"]');
      if (existing) {
        existing.checked = true;
        return;
      }
      var li = document.createElement("li");
      li.className = "checkbox";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = root.getAttribute("data-name");
      box.value = id;
      box.id = input.id + "-u" + id;
      box.checked = true;
      var label = document.createElement("label");
      label.setAttribute("for", box.id);
      label.textContent = name;
      li.appendChild(box);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(label);
      chosen.appendChild(li);
      if (empty) { empty.hidden = true; }
    }

    function choose(li) {
      var id = li.getAttribute("data-id");
      var name = li.getAttribute("data-name");
      close();
      if (multiple) {
        addChosen(id, name);
        input.value = "";
        lastQuery = "";
        var count = chosen.querySelectorAll("input[type=checkbox]:checked").length;
        announce(name + " är tillagd. " + count + (count === 1 ? " vald." : " valda."));
      } else {
        hidden.value = id;
        input.value = name;
        lastQuery = name;
        announce(name + " är vald.");
      }
      // Tell the form (e.g. the company list's live filter) that the value changed.
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function render(results) {
      listbox.textContent = "";
      options = results.map(function (r, i) {
        var li = document.createElement("li");
        li.id = listbox.id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-id", String(r.id));
        li.setAttribute("data-name", r.name);
        li.className = "combobox__option";
        var name = document.createElement("span");
        name.textContent = r.name;
        li.appendChild(name);
        if (r.detail) {
          var detail = document.createElement("span");
          detail.className = "muted";
          detail.textContent = " " + r.detail;
          li.appendChild(detail);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(li); });
        listbox.appendChild(li);
        return li;
      });
      active = -1;
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        announce((options.length === 1 ? "1 förslag" : options.length + " förslag") + ". Pil ned för att välja.");
      } else {
        close();
        announce(input.value.trim().length >= 2 ? "Ingen matchar." : "");
      }
    }

    function search() {
      var q = input.value.trim();
      if (q === lastQuery) { return; }
      lastQuery = q;
      if (q.length < 2) { render([]); return; }
      var sep = url.indexOf("?") >= 0 ? "&" : "?";
      fetch(url + sep + "q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (results) { if (input.value.trim() === q) { render(results); } })
        .catch(function () { /* the server still resolves the typed text on submit */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 150);
    });

    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        if (!options.length) { return; }
        e.preventDefault();
        if (listbox.hidden) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); }
        setActive(active < options.length - 1 ? active + 1 : 0);
      } else if (e.key === "ArrowUp") {
        if (!options.length || listbox.hidden) { return; }
        e.preventDefault();
        setActive(active > 0 ? active - 1 : options.length - 1);
      } else if (e.key === "Enter") {
        if (!listbox.hidden && active >= 0) {
          e.preventDefault();
          choose(options[active]);
        } else if (!listbox.hidden && options.length === 1) {
          e.preventDefault();
          choose(options[0]);
        }
        // Otherwise the form submits and the server resolves the text.
      } else if (e.key === "Escape") {
        if (!listbox.hidden) { e.preventDefault(); close(); }
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-user-picker]").forEach(initUserPicker);
  });
})();
