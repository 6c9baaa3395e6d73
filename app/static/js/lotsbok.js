// Lotsbok: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Confirmation before destructive actions: <form data-confirm="Text">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute && form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) {
      event.preventDefault();
      return;
    }
    // Guard against double submission: disable the buttons once the form is on its way.
    if (!event.defaultPrevented && form.method && form.method.toLowerCase() === "post") {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  });

  // Move focus to an error summary so screen-reader users hear it at once.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
