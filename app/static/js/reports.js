/* The dashboard's period control (app/templates/reports/dashboard.html): only the inputs of the
   chosen kind of period are shown and submitted. Without JavaScript the server shows every
   kind's inputs (each under its kind's name, [data-period-nojs]) and the kind chosen decides
   which of them count; with it, the others are hidden and disabled, and the no-JavaScript
   captions are hidden (they still name each group for screen readers: aria-labelledby). */
(function () {
  "use strict";

  function sync(form, kind) {
    form.querySelectorAll("[data-period-kind]").forEach(function (group) {
      var on = group.getAttribute("data-period-kind") === kind;
      group.hidden = !on;
      group.querySelectorAll("input, select").forEach(function (el) {
        el.disabled = !on;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-period-form]").forEach(function (form) {
      var select = form.querySelector("[data-period-select]");
      if (!select) {
        return;
      }
      form.querySelectorAll("[data-period-nojs]").forEach(function (el) {
        el.hidden = true;
      });
      sync(form, select.value);
      select.addEventListener("change", function () {
        sync(form, select.value);
      });
    });
  });
})();
