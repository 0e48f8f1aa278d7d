// Light or dark colours, chosen in the page and remembered in localStorage.
// Loaded without `defer` in <head>, so the choice is on <html> before the first
// paint (no flash of the wrong colours). "System" removes the choice, and the
// stylesheet follows prefers-color-scheme again.
(function () {
  "use strict";
  var KEY = "httpschool-theme";
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : "system";
    } catch (error) {
      return "system"; // storage blocked: follow the system setting
    }
  }

  function apply(choice) {
    if (choice === "system") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", choice);
  }

  function remember(choice) {
    try {
      if (choice === "system") window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, choice);
    } catch (error) {
      // Storage blocked: the choice lasts for this page only.
    }
  }

  apply(stored());

  function showToggle() {
    var select = document.getElementById("theme-choice");
    if (!select) return;
    select.value = stored();
    select.closest(".theme-choice").hidden = false;
  }

  document.addEventListener("DOMContentLoaded", showToggle);
  // htmx's Back restores the page from a snapshot of its HTML, which drops the <select>'s value.
  document.addEventListener("htmx:historyRestore", showToggle);
  document.addEventListener("change", function (event) {
    if (event.target.id !== "theme-choice") return;
    apply(event.target.value);
    remember(event.target.value);
  });
})();
