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

class EndingWidget extends WidgetType {
  constructor(crlf) {
    super();
    this.crlf = crlf;
  }
  eq(other) {
    return other.crlf === this.crlf;
  }
  toDOM() {
    return this.crlf
      ? pill("CRLF", "Sent as CR LF", "cm-ending-crlf")
      : pill("LF", "Sent as a bare LF", "cm-ending-lf");
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
        const crlf = mode === "crlf" && !line.text.endsWith("\r");
        widgets.push(Decoration.widget({ widget: new EndingWidget(crlf), side: 1 }).range(line.to));
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
