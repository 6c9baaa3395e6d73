// The one search-as-you-type combobox (WAI-ARIA 1.2: a text input with a listbox popup and
// aria-activedescendant), shared by the company picker (companypick.js) and the user picker
// (userpick.js), which keep only what is their own: what a pick fills in. Here: fetching the
// suggestions (getJSON, also for the lists that follow a pick), the options, the keys and the
// announcements of the polite live region. Loaded by base.html before both. Without it the
// inputs stay plain text.
(function () {
  "use strict";

  // GET `url` as JSON and hand the result to `done`; a failed request leaves the page as it is
  // (the form still works: the server checks and resolves on submit).
  function getJSON(url, done) {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(done)
      .catch(function () { /* the form works without the list */ });
  }

  // opts: input, listbox, status (a polite live region), url (JSON: [{id, name, detail}]),
  // noun: [one, many] – "3 företag. Pil ned för att välja." (or count(n) for another text),
  // none() – said when nothing matches, choose(result) – what a pick does,
  // searchNow – search the input's initial value.
  // Returns {announce(text), close(), show(name, message)} or null without fetch.
  window.LotsbokCombobox = function (opts) {
    var input = opts.input;
    var listbox = opts.listbox;
    var status = opts.status;
    var url = opts.url;
    if (!input || !listbox || !status || !url || !window.fetch) { return null; }
    var count = opts.count || function (n) {
      return n + " " + (n === 1 ? opts.noun[0] : opts.noun[1]) + ". Pil ned för att välja.";
    };

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
        announce(count(options.length));
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
      getJSON(url + sep + "q=" + encodeURIComponent(q), function (found) {
        if (input.value.trim() === q) { render(found); }
      });
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
        } else if (!listbox.hidden) {
          // An open list and no option chosen yet: Enter does not submit the form (whose first
          // button may be the picker's own "Nytt företag"); the arrows choose.
          e.preventDefault();
        }
        // Otherwise the form submits: the server does the rest (no-JS path).
      } else if (e.key === "Escape") {
        if (!listbox.hidden) { e.preventDefault(); close(); }
      }
    });

    // A pick shown: the name in the input, `message` said, and the form told (a bubbling
    // "change", e.g. the company list's live filter or the contact form's company change).
    function show(name, message) {
      input.value = name;
      announce(message);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    if (opts.searchNow && input.value.trim().length >= 2) { search(); }
    return { announce: announce, close: close, show: show };
  };
  window.LotsbokCombobox.getJSON = getJSON;
})();
