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

  // The header menu on narrow screens: "Meny" folds the navigation, search and user menu away
  // (CSS shows the button and hides the menu only below 40rem). Without this script the button
  // stays hidden and everything is shown. The deferred script runs once the DOM is parsed.
  (function initHeaderMenu() {
    var button = document.querySelector("[data-menu-toggle]");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) { return; }
    var header = button.closest(".site-header");
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    setOpen(false);
    header.classList.add("site-header--foldable");
    button.hidden = false;
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and puts focus back on its button.
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" && button.offsetParent !== null) {
        setOpen(false);
        button.focus();
      }
    });
  })();

  // A table that is wider than its box (.table-wrap scrolls sideways, e.g. on a phone) must be
  // reachable with the keyboard: the box gets tabindex=0 and, named by the table's caption, the
  // region role. Boxes that stop overflowing (a wider window) lose what this added.
  function markScrollingTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var added = wrap.hasAttribute("data-scroll-focus");
      if (!added && wrap.hasAttribute("tabindex")) { return; }  // the template made it focusable
      var overflows = wrap.scrollWidth > wrap.clientWidth + 1;
      if (overflows && !added) {
        var caption = wrap.querySelector("caption");
        var named = caption && caption.textContent.trim() && !wrap.hasAttribute("role");
        wrap.setAttribute("data-scroll-focus", named ? "region" : "");
        wrap.setAttribute("tabindex", "0");
        if (named) {
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (!overflows && added) {
        if (wrap.getAttribute("data-scroll-focus") === "region") {
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-label");
        }
        wrap.removeAttribute("data-scroll-focus");
        wrap.removeAttribute("tabindex");
      }
    });
  }
  markScrollingTables();
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markScrollingTables, 150);
  });

  // Move focus to an error summary so screen-reader users hear it at once.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
