// Sign-up: start the time-zone field at the browser's own zone instead of UTC.
// Only an unfilled form asks for it (data-browser-zone="fill"); the server still
// checks the zone against its list, so a zone it does not know stays UTC.
(function () {
  "use strict";

  function fill() {
    var select = document.querySelector("select[data-browser-zone='fill']");
    if (!select) return;
    select.removeAttribute("data-browser-zone");
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    if (!zone || select.value !== "UTC") return;
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (known) select.value = zone;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
  document.addEventListener("htmx:afterSettle", fill);
})();
