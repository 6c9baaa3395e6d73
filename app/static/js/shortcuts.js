// Keyboard shortcuts on every page (base.html). Alt+Shift+K follows the header's "Logga kontakt"
// link (which carries the company and case of a company or case page). Not while typing in a
// field: there the keys belong to the field.
(function () {
  "use strict";

  function typing(el) {
    if (!el || el === document.body) { return false; }
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  document.addEventListener("keydown", function (e) {
    if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey || e.repeat) { return; }
    // e.code: the physical K key, whatever Alt+Shift types on this keyboard layout.
    if (e.code !== "KeyK" || typing(e.target)) { return; }
    var link = document.querySelector("a[data-shortcut-log-contact]");
    if (!link) { return; }
    e.preventDefault();
    window.location.assign(link.href);
  });
})();
