// Contact log: the company picker (an accessible combobox) and small helpers on the contact
// form. Every page works without this file: the picker is then a plain search form.
(function () {
  "use strict";

  // ---- Company picker: WAI-ARIA combobox with a listbox popup (aria-activedescendant). ----
  function initPicker(form) {
    var input = form.querySelector("[data-combobox-input]");
    var listbox = form.querySelector("[data-combobox-listbox]");
    var status = form.querySelector("[data-combobox-status]");
    var url = form.getAttribute("data-search-url");
    if (!input || !listbox || !url || !window.fetch) { return; }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var options = [];
    var active = -1;
    var timer = null;
    var lastQuery = null;

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

    function choose(li) { window.location.assign(li.getAttribute("data-url")); }

    function render(results) {
      listbox.textContent = "";
      options = results.map(function (r, i) {
        var li = document.createElement("li");
        li.id = listbox.id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-url", r.url);
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
        status.textContent = options.length === 1 ? "1 företag. Pil ned för att välja." : options.length + " företag. Pil ned för att välja.";
      } else {
        close();
        status.textContent = input.value.trim().length >= 2 ? "Inga företag matchar." : "";
      }
    }

    function search() {
      var q = input.value.trim();
      if (q === lastQuery) { return; }
      lastQuery = q;
      if (q.length < 2) { render([]); return; }
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (results) { if (input.value.trim() === q) { render(results); } })
        .catch(function () { /* the plain search form still works */ });
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
        if (!options.length) { return; }
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
        // Otherwise the form submits: the server lists the matches (no-JS path).
      } else if (e.key === "Escape") {
        if (!listbox.hidden) { e.preventDefault(); close(); }
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    if (input.value.trim().length >= 2) { search(); }
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
      permits.hidden = !(kind.value === "tillstandsvagledning" || permitsInUse());
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
