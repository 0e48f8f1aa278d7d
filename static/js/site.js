// Small progressive enhancements. The site works without this file.
(function () {
  "use strict";

  // Close the account menu when focus or a click leaves it, like a native menu.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // After htmx swaps in a new question, its feedback or an error, move keyboard
  // focus there (the element marked data-focus-here), so the next answer is one
  // Tab away instead of a dozen from the top of the page.
  // A refused form swapped back in (no data-focus-here) puts focus on what to fix:
  // its first field in error (aria-invalid, which Django sets, so the field's own
  // error is read with it), or else the summary of errors that belong to no field.
  // This also wins over the autofocus a form's first field may carry.
  function firstError(root) {
    var within = function (selector) {
      return root.matches(selector) ? root : root.querySelector(selector);
    };
    return within('[aria-invalid="true"]') || within(".form-errors");
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt;
    if (!root.isConnected || !root.matches) return;
    var target = root.matches("[data-focus-here]") ? root : root.querySelector("[data-focus-here]");
    if (target) target.removeAttribute("data-focus-here");
    else target = firstError(root);
    if (target) target.focus();
  });

  // The same on a full page that comes back with a refused form (no htmx, e.g. log in).
  window.addEventListener("load", function () {
    var forms = document.querySelectorAll("main form");
    for (var i = 0; i < forms.length; i++) {
      var target = firstError(forms[i]);
      if (target) return target.focus();
    }
  });

  // Form errors (400, 409, 413, 422, 429) are fragments htmx swaps in place
  // (see responseHandling in base.html). Anything else htmx leaves unswapped, so
  // say so beside the page instead of failing silently; nothing the learner
  // typed is touched. The same happens with DEBUG on and off.
  function notice(text) {
    var box = document.getElementById("messages");
    if (!box) return;
    var line = document.createElement("p");
    line.className = "message message-error";
    line.setAttribute("role", "alert");
    var label = document.createElement("strong");
    label.textContent = "Error:";
    line.append(label, " " + text);
    box.replaceChildren(line);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    notice(
      status >= 500
        ? "The server failed to answer (" + status + "). Your text is still here: try again in a moment."
        : status === 403
          ? "That was refused (403). Your session may have ended: reload the page, then try again."
          : "That did not work (" + status + "). Reload the page and try again."
    );
  });
  document.addEventListener("htmx:sendError", function () {
    notice("The server could not be reached. Check your connection; your text is still here.");
  });
})();
