// The raw-request editor: line numbers, Tab inserts spaces, Ctrl+Enter sends,
// the exact text travels base64-encoded (a plain form post would turn every
// line ending into CRLF), and the lines a diagnostic points at are marked.
// Without this file the editor is a plain textarea and still works.
(function () {
  "use strict";

  function encode(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = "";
    bytes.forEach(function (b) { binary += String.fromCharCode(b); });
    return btoa(binary);
  }

  function setup(editor) {
    var form = editor.closest("form");
    var gutter = document.getElementById("editor-gutter");
    var hidden = form.querySelector("[data-raw-b64]");
    var escaped = false;

    function renumber() {
      var count = editor.value.split("\n").length;
      var marks = markedLines();
      var numbers = [];
      for (var i = 1; i <= count; i++) {
        numbers.push((marks.error[i] ? "✗" : marks.warning[i] ? "⚠" : " ") + String(i).padStart(3, " "));
      }
      gutter.textContent = numbers.join("\n");
      gutter.scrollTop = editor.scrollTop;
      hidden.value = encode(editor.value);
    }

    editor.addEventListener("input", renumber);
    editor.addEventListener("scroll", function () { gutter.scrollTop = editor.scrollTop; });
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { escaped = true; return; }
      if (event.key === "Tab" && !escaped && !event.shiftKey) {
        event.preventDefault();
        var start = editor.selectionStart;
        editor.setRangeText("  ", start, editor.selectionEnd, "end");
        renumber();
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        hidden.value = encode(editor.value);
        form.requestSubmit();
      }
      if (event.key !== "Tab") escaped = false;
    });
    form.addEventListener("submit", function () { hidden.value = encode(editor.value); });
    document.body.addEventListener("htmx:afterSwap", renumber);
    renumber();
  }

  function markedLines() {
    var result = document.getElementById("result");
    var marks = { error: {}, warning: {} };
    if (!result) return marks;
    ["error", "warning"].forEach(function (kind) {
      (result.dataset[kind + "Lines"] || "").split(" ").forEach(function (n) { if (n) marks[kind][n] = true; });
    });
    return marks;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-editor]").forEach(setup);
  });
})();
