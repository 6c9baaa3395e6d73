// Follow-ups: "Klar" and "Skjut upp" without leaving the page. Without this file the same
// forms post and redirect back, so everything works without JavaScript.
(function () {
  "use strict";
  if (window.lotsbokFollowups) { return; } // included by both the panel and the list
  window.lotsbokFollowups = true;

  function announce(text) {
    var region = document.querySelector(".flashes");
    if (!region) { return; }
    region.textContent = "";
    var p = document.createElement("p");
    p.className = "flash flash--success";
    p.textContent = text;
    region.appendChild(p);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.classList || !form.classList.contains("js-followup-action")) {
      return; // a declined data-confirm (lotsbok.js) or another form
    }
    if (!window.fetch || !window.FormData) { return; }
    event.preventDefault();
    var row = form.closest("[data-followup-row]");
    var buttons = form.closest("[data-followup-actions]").querySelectorAll("button");
    // One form per row: the pressed button says where it goes (formaction) and what it adds
    // (name=value, e.g. days=7), as the plain post would.
    var submitter = event.submitter;
    var body = new FormData(form);
    if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
    var url = submitter && submitter.hasAttribute("formaction") ? submitter.formAction : form.action;
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok || !result.data.ok) {
        buttons.forEach(function (b) { b.disabled = false; });
        window.alert(result.data.message || "Det gick inte. Ladda om sidan och försök igen.");
        return;
      }
      var data = result.data;
      if (row) {
        var status = row.querySelector("[data-followup-status]");
        if (status) { status.textContent = data.status_label; }
        var due = row.querySelector("[data-followup-due]");
        if (due) { due.textContent = data.due_on; due.className = ""; }
        var actions = row.querySelector("[data-followup-actions]");
        if (data.status !== "open") {
          row.classList.add("fu-closed");
          if (actions) { actions.remove(); }
        } else if (actions) {
          actions.querySelectorAll("input[name=version]").forEach(function (i) { i.value = data.version; });
          buttons.forEach(function (b) { b.disabled = false; });
        }
      }
      announce(data.message);
    }).catch(function () {
      // Network trouble: fall back to the ordinary post of the pressed button.
      if (submitter && submitter.name) {
        var extra = document.createElement("input");
        extra.type = "hidden";
        extra.name = submitter.name;
        extra.value = submitter.value;
        form.appendChild(extra);
      }
      form.action = url;
      form.submit();
    });
  });
})();
