// The one search-as-you-type combobox (WAI-ARIA 1.2: a text input with a listbox popup and
// aria-activedescendant), shared by the company picker (interactions.js) and the user picker
// (userpick.js). Loaded by base.html before both. Without it the inputs stay plain text.
(function () {
  "use strict";

  // opts: input, listbox, status (a polite live region), url (JSON: [{name, detail, …}]),
  // count(n) and none() – the announcements, choose(result) – what a pick does,
  // searchNow – search the input's initial value.
  window.LotsbokCombobox = function (opts) {
    var input = opts.input;
    var listbox = opts.listbox;
    var status = opts.status;
    var url = opts.url;
    if (!input || !listbox || !status || !url || !window.fetch) { return null; }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var options = [];
    var results = [];
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

    function choose(index) {
      close();
      opts.choose(results[index]);
      lastQuery = input.value.trim();
    }

    function render(found) {
      listbox.textContent = "";
      results = found;
      options = found.map(function (r, i) {
        var li = document.createElement("li");
        li.id = listbox.id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
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
        li.addEventListener("click", function () { choose(i); });
        listbox.appendChild(li);
        return li;
      });
      active = -1;
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        announce(opts.count(options.length));
      } else {
        close();
        announce(input.value.trim().length >= 2 ? opts.none() : "");
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
        .then(function (found) { if (input.value.trim() === q) { render(found); } })
        .catch(function () { /* the form still works without the list */ });
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
          choose(active);
        } else if (!listbox.hidden && options.length === 1) {
          e.preventDefault();
          choose(0);
        }
        // Otherwise the form submits: the server does the rest (no-JS path).
      } else if (e.key === "Escape") {
        if (!listbox.hidden) { e.preventDefault(); close(); }
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    if (opts.searchNow && input.value.trim().length >= 2) { search(); }
    return { announce: announce, close: close };
  };
})();
