// The request editor: CodeMirror 6 over a server-rendered <textarea>, for every
// [data-request-editor] on the page and any htmx inserts later. Without this
// bundle the textarea is the editor and the form still posts. With it, the
// textarea stays in the form, kept in sync, and the exact text also travels
// base64-encoded in raw_b64 (a plain form post turns every line ending into
// CRLF, so a bare LF typed on purpose would be lost).
import { EditorView } from "codemirror";
import { EditorState, Prec } from "@codemirror/state";
import { drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentLess } from "@codemirror/commands";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { lintGutter, lintKeymap } from "@codemirror/lint";
import { httpHighlighting, httpLanguage } from "./http-language.js";
import { httpCompletions } from "./completions.js";
import { endingMode, markers, markersCompartment, setEndingMode, visibleCR } from "./markers.js";
import { readDiagnostics, showDiagnostics } from "./diagnostics.js";
import { cursorDiagnostics } from "./cursor-diagnostic.js";
import "./copy.js";

const editors = new Set();
let pageNonce = null;

function encode(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  bytes.forEach((b) => {
    binary += String.fromCharCode(b);
  });
  return btoa(binary);
}

// CodeMirror writes its base styles into a <style> element; the site's CSP allows
// that only with the page's nonce. Every editor on a page uses the nonce the page
// itself was served with (an htmx fragment's own nonce would not match it).
function nonce(root) {
  if (pageNonce === null) {
    const meta = document.querySelector('meta[name="csp-nonce"]');
    pageNonce = (meta && meta.content) || root.dataset.cspNonce || "";
  }
  return pageNonce;
}

function insertSpaces(view) {
  view.dispatch(view.state.replaceSelection("  "), { scrollIntoView: true, userEvent: "input" });
  return true;
}

// Two kinds of "insertText" input are left to the browser's own editing by
// default: text with line breaks (dictation, autofill, test drivers) and typing
// over a selection that spans lines. Chromium then splits or merges lines itself
// and adds style attributes, which the CSP blocks. CodeMirror inserts them
// instead, byte for byte (its only line separator is LF, so CRs stay).
// The selection the input applies to is the DOM's: CodeMirror reads a new DOM
// selection on the next selectionchange event, which may not have run yet.
function domSelection(view) {
  const selection = document.getSelection();
  if (selection && selection.rangeCount && view.contentDOM.contains(selection.anchorNode)) {
    const anchor = view.posAtDOM(selection.anchorNode, selection.anchorOffset);
    const head = view.posAtDOM(selection.focusNode, selection.focusOffset);
    return { from: Math.min(anchor, head), to: Math.max(anchor, head) };
  }
  return view.state.selection.main;
}

const wholeInput = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== "insertText" || event.data == null) return false;
    const { from, to } = domSelection(view);
    const doc = view.state.doc;
    if (!/[\r\n]/.test(event.data) && doc.lineAt(from).number === doc.lineAt(to).number) return false;
    event.preventDefault();
    view.dispatch({
      changes: { from, to, insert: event.data },
      selection: { anchor: from + event.data.length },
      scrollIntoView: true,
      userEvent: "input.type",
    });
    return true;
  },
});

function resultTarget(root, form) {
  const selector = root.dataset.resultTarget || (form && form.getAttribute("hx-target"));
  return selector ? document.querySelector(selector) : null;
}

function enhance(root) {
  if (root.dataset.enhanced) return;
  const form = root.closest("form");
  const textarea = root.querySelector("textarea");
  const hidden = root.querySelector("[data-raw-b64]") || form.querySelector("[data-raw-b64]");
  const label = root.querySelector("label[for]");
  const sync = (text) => {
    textarea.value = text;
    hidden.value = encode(text);
  };
  const send = () => {
    sync(view.state.doc.toString());
    form.requestSubmit();
    return true;
  };
  const described = textarea.getAttribute("aria-describedby") || "";
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        EditorState.lineSeparator.of("\n"),
        EditorView.cspNonce.of(nonce(root)),
        Prec.highest(keymap.of([
          { key: "Mod-Enter", run: send },
          { key: "Ctrl-Enter", run: send },
        ])),
        lineNumbers(),
        highlightActiveLineGutter(),
        visibleCR,
        history(),
        drawSelection(),
        highlightActiveLine(),
        httpLanguage,
        httpHighlighting,
        autocompletion({ override: [httpCompletions], icons: false }),
        lintGutter(),
        endingMode,
        markersCompartment.of(markers(false)),
        cursorDiagnostics,
        keymap.of([
          ...completionKeymap,
          { key: "Tab", run: insertSpaces, shift: indentLess },
          ...lintKeymap,
          ...historyKeymap,
          ...defaultKeymap,
        ]),
        wholeInput,
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({
          "aria-labelledby": label.id,
          "aria-describedby": described,
          spellcheck: "false",
          autocapitalize: "off",
          autocorrect: "off",
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) sync(update.state.doc.toString());
        }),
      ],
    }),
  });
  textarea.hidden = true;
  textarea.after(view.dom);
  // The label now names the editor (aria-labelledby); clicking it focuses it.
  label.removeAttribute("for");
  label.addEventListener("click", () => view.focus());
  form.addEventListener("submit", () => sync(view.state.doc.toString()));
  wireControls(root, form, view);
  sync(view.state.doc.toString());
  root.dataset.enhanced = "true";
  const editor = { root, form, view };
  editors.add(editor);
  refreshDiagnostics(editor);
}

function wireControls(root, form, view) {
  const toggle = root.querySelector("[data-editor-markers]");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const on = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", String(on));
      view.dispatch({ effects: markersCompartment.reconfigure(markers(on)) });
    });
  }
  root.querySelectorAll("[data-editor-js]").forEach((element) => {
    element.hidden = false;
  });
  const radios = root.querySelectorAll('input[name="line_endings"]');
  const choose = () => {
    const checked = root.querySelector('input[name="line_endings"]:checked');
    view.dispatch({ effects: setEndingMode.of(checked ? checked.value : "crlf") });
  };
  radios.forEach((radio) => radio.addEventListener("change", choose));
  choose();
}

function refreshDiagnostics(editor) {
  if (!editor.root.isConnected) {
    editors.delete(editor);
    return;
  }
  showDiagnostics(editor.view, readDiagnostics(resultTarget(editor.root, editor.form)));
}

function enhanceWithin(element) {
  if (element.matches && element.matches("[data-request-editor]")) enhance(element);
  element.querySelectorAll("[data-request-editor]").forEach(enhance);
}

document.addEventListener("DOMContentLoaded", () => enhanceWithin(document));

// htmx:load fires for every element htmx inserts: a new editor, or a result.
document.addEventListener("htmx:load", (event) => {
  const loaded = event.detail.elt;
  enhanceWithin(loaded);
  editors.forEach((editor) => {
    const target = resultTarget(editor.root, editor.form);
    if (target && (target === loaded || target.contains(loaded) || loaded.contains(target))) {
      refreshDiagnostics(editor);
    }
  });
});

// A small API for other scripts and tests: the view behind an editor element.
window.HttpSchoolEditor = {
  enhance: enhanceWithin,
  viewOf(element) {
    const root = element.closest("[data-request-editor]");
    for (const editor of editors) if (editor.root === root) return editor.view;
    return null;
  },
};
