/* The dashboard's period control (app/templates/reports/dashboard.html): only the inputs of the
   chosen kind of period are shown and submitted. Without JavaScript the server shows the inputs
   of the kind in the URL, and choosing another kind and pressing "Visa" shows that kind's. */
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
      sync(form, select.value);
      select.addEventListener("change", function () {
        sync(form, select.value);
      });
    });
  });
})();
