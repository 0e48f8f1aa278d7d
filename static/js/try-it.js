// Try-it boxes in a lesson. Without this file they still work: Reset is a
// native form reset and Send a plain post. Every box includes this script;
// it sets itself up once per page.
(function () {
  "use strict";
  if (window.HttpSchoolTryIt) return;
  window.HttpSchoolTryIt = true;

  // The boxes use the challenge page's request editor. A page that did not
  // load its bundle gets it here, once, and the boxes are enhanced when it runs.
  var source = document.currentScript && document.currentScript.dataset.editorSrc;
  if (source && !window.HttpSchoolEditor && !document.querySelector('script[src="' + source + '"]')) {
    var bundle = document.createElement("script");
    bundle.src = source;
    bundle.addEventListener("load", function () {
      if (window.HttpSchoolEditor) window.HttpSchoolEditor.enhance(document);
    });
    document.head.appendChild(bundle);
  }

  // An enhanced editor keeps its own copy of the text, so a reset must reach it.
  document.addEventListener("reset", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-try-form]")) return;
    // The browser restores the textarea after this event has run.
    setTimeout(function () {
      var textarea = form.querySelector("textarea[name=request]");
      var editor = window.HttpSchoolEditor;
      var view = editor && textarea ? editor.viewOf(textarea) : null;
      if (view) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textarea.defaultValue } });
        view.focus();
      } else if (textarea) {
        textarea.focus();
      }
    }, 0);
  });
})();
