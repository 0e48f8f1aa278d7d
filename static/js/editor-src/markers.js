// Visible line endings and whitespace. A literal CR in the text is always shown
// (it is a byte the learner may not know is there); the toggle adds a marker at
// every line end saying what goes on the wire there (CRLF or a bare LF, which
// depends on the form's line-ending choice) plus dots for spaces and a tint on
// trailing whitespace.
import { Compartment, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  ViewPlugin,
  WidgetType,
  highlightSpecialChars,
  highlightTrailingWhitespace,
  highlightWhitespace,
} from "@codemirror/view";

export const setEndingMode = StateEffect.define();

// "crlf": the server turns every bare LF into CRLF; "typed": bytes go as typed.
export const endingMode = StateField.define({
  create: () => "crlf",
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setEndingMode)) value = effect.value;
    return value;
  },
});

function pill(text, title, className) {
  const span = document.createElement("span");
  span.className = "cm-ending " + className;
  span.textContent = text;
  span.title = title;
  span.setAttribute("aria-hidden", "true");
  return span;
}

export const visibleCR = highlightSpecialChars({
  render(code, description, placeholder) {
    if (code === 13) return pill("CR", "A carriage return (CR) byte", "cm-ending-cr");
    const span = document.createElement("span");
    span.className = "cm-specialChar";
    span.textContent = placeholder;
    span.title = description;
    return span;
  },
});

// kind: "crlf" (a bare LF the server sends as CRLF), "lf" (a bare LF sent as
// typed), or "cr-lf" (the LF after a CR the learner typed: together a CRLF).
const ENDINGS = {
  crlf: ["CRLF", "Sent as CR LF", "cm-ending-crlf"],
  lf: ["LF", "Sent as a bare LF, with no CR before it", "cm-ending-lf"],
  "cr-lf": ["LF", "The LF after the CR: together a CRLF", "cm-ending-crlf"],
};

class EndingWidget extends WidgetType {
  constructor(kind) {
    super();
    this.kind = kind;
  }
  eq(other) {
    return other.kind === this.kind;
  }
  toDOM() {
    return pill(...ENDINGS[this.kind]);
  }
  ignoreEvent() {
    return false;
  }
}

function endings(view) {
  const mode = view.state.field(endingMode);
  const widgets = [];
  const doc = view.state.doc;
  for (const { from, to } of view.visibleRanges) {
    let pos = from;
    while (pos <= to) {
      const line = doc.lineAt(pos);
      if (line.number < doc.lines) {
        // A line already ending in CR shows that CR itself, then the LF.
        const kind = line.text.endsWith("\r") ? "cr-lf" : mode === "crlf" ? "crlf" : "lf";
        widgets.push(Decoration.widget({ widget: new EndingWidget(kind), side: 1 }).range(line.to));
      }
      pos = line.to + 1;
    }
  }
  return Decoration.set(widgets);
}

const endingMarkers = ViewPlugin.fromClass(
  class {
    constructor(view) {
      this.decorations = endings(view);
    }
    update(update) {
      const modeChanged = update.startState.field(endingMode) !== update.state.field(endingMode);
      if (update.docChanged || update.viewportChanged || modeChanged) {
        this.decorations = endings(update.view);
      }
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

export const markersCompartment = new Compartment();

export function markers(on) {
  return on
    ? [endingMarkers, highlightWhitespace(), highlightTrailingWhitespace(), EditorView.editorAttributes.of({ class: "cm-markers-on" })]
    : [];
}
