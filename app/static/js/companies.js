// Company register: search as you type on the list, SNI suggestions on the company form.
// Progressive enhancement only: the list's GET form and the SNI search page work without it.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  // --- list: fetch the server-rendered result fragment for the current form values
  var form = document.getElementById("company-filter-form");
  var results = document.getElementById("company-results");
  if (form && results) {
    var pending = null;
    var refresh = function () {
      var params = new URLSearchParams(new FormData(form));
      // Drop empty values so URLs stay short and shareable.
      Array.from(params.keys()).forEach(function (key) { if (!params.get(key)) { params.delete(key); } });
      var query = params.toString();
      var url = form.getAttribute("action") + (query ? "?" + query : "");
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url + (query ? "&" : "?") + "fragment=1", {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
        signal: pending.signal
      })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          results.innerHTML = html;
          window.history.replaceState(null, "", url);
        })
        .catch(function () { /* the submit button still works */ });
    };
    var delayed = debounce(refresh, 250);
    form.addEventListener("input", function (event) {
      var t = event.target;
      // A user picker's text is resolved when a user is picked or the field is left (change).
      if (t && t.hasAttribute("data-combobox-input")) { return; }
      if (t && (t.type === "search" || t.type === "text")) { delayed(); }
    });
    form.addEventListener("change", function (event) {
      var t = event.target;
      if (t && (t.tagName === "SELECT" || t.type === "checkbox" || t.hasAttribute("data-combobox-input"))) { refresh(); }
    });
  }

  // --- company form: SNI code suggestions from /foretag/sni?format=json
  var sni = document.getElementById("sni_code");
  var list = document.getElementById("sni-suggestions");
  var version = document.getElementById("sni_version");
  if (sni && list) {
    sni.setAttribute("list", "sni-suggestions");
    sni.setAttribute("autocomplete", "off");
    var base = document.querySelector("a[href$='/foretag/sni']");
    var endpoint = base ? base.getAttribute("href") : "/foretag/sni";
    var suggest = debounce(function () {
      var q = sni.value.trim();
      if (q.length < 2) { return; }
      var url = endpoint + "?format=json&q=" + encodeURIComponent(q) +
        (version && version.value ? "&version=" + encodeURIComponent(version.value) : "");
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (items) {
          list.innerHTML = "";
          items.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.code;
            option.label = item.label;
            option.textContent = item.label;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 200);
    sni.addEventListener("input", suggest);
  }
})();
