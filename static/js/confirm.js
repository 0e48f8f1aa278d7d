// Ask before a form does something that cannot be undone.
// A form with data-confirm="What will happen" opens the page's <dialog> instead
// of submitting; "Cancel" (the default, focused first) or Escape closes it and
// puts focus back on the button that opened it. data-confirm-title and
// data-confirm-ok set the dialog's heading and the confirming button's words.
(function () {
  "use strict";

  function setup() {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;
    var title = dialog.querySelector("#confirm-dialog-title");
    var text = dialog.querySelector("#confirm-dialog-text");
    var ok = dialog.querySelector("[data-confirm-ok]");
    var cancel = dialog.querySelector("[data-confirm-cancel]");
    var pending = null;

    document.addEventListener(
      "submit",
      function (event) {
        var form = event.target;
        if (!form.matches("form[data-confirm]")) return;
        if (form.dataset.confirmed === "yes") {
          delete form.dataset.confirmed;
          return;
        }
        event.preventDefault();
        pending = { form: form, submitter: event.submitter || form.querySelector("button") };
        title.textContent = form.dataset.confirmTitle || "Are you sure?";
        text.textContent = form.dataset.confirm;
        ok.textContent = form.dataset.confirmOk || "Yes, go ahead";
        dialog.showModal();
        cancel.focus();
      },
      true
    );

    ok.addEventListener("click", function () {
      var chosen = pending;
      pending = null;
      dialog.close();
      chosen.form.dataset.confirmed = "yes";
      chosen.form.requestSubmit(chosen.submitter);
    });
    cancel.addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (pending && pending.submitter) pending.submitter.focus();
      pending = null;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
