// The message of the diagnostic under the cursor, for keyboard users: shown in a
// tooltip while the editor has focus, and announced to screen readers once each
// time the cursor moves onto a different diagnostic. (Hover is @codemirror/lint's own.)
import { StateEffect, StateField } from "@codemirror/state";
import { EditorView, ViewPlugin, showTooltip } from "@codemirror/view";
import { forEachDiagnostic } from "@codemirror/lint";

const setFocused = StateEffect.define();

const focused = StateField.define({
  create: () => false,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setFocused)) value = effect.value;
    return value;
  },
});

function underCursor(state) {
  const head = state.selection.main.head;
  const found = [];
  forEachDiagnostic(state, (diagnostic, from, to) => {
    if (head >= from && head <= Math.max(to, from + 1)) found.push({ ...diagnostic, from, to });
  });
  return found;
}

function tooltipFor(state) {
  if (!state.field(focused)) return null;
  const found = underCursor(state);
  if (!found.length) return null;
  return {
    pos: found[0].from,
    above: false,
    create() {
      const dom = document.createElement("div");
      dom.className = "cm-cursor-diagnostics";
      for (const d of found) {
        const item = document.createElement("p");
        item.className = "cm-diagnostic cm-diagnostic-" + d.severity;
        item.textContent = `${d.source}: ${d.message}`;
        dom.appendChild(item);
      }
      return { dom };
    },
  };
}

const cursorTooltip = StateField.define({
  create: tooltipFor,
  update(value, tr) {
    return tr.docChanged || tr.selection || tr.effects.length ? tooltipFor(tr.state) : value;
  },
  provide: (field) => showTooltip.from(field),
});

const announcer = ViewPlugin.fromClass(
  class {
    constructor() {
      this.last = "";
    }
    update(update) {
      if (!update.view.hasFocus) return;
      const text = underCursor(update.state).map((d) => `${d.severity} at ${d.source}: ${d.message}`).join(" ");
      if (text === this.last) return;
      this.last = text;
      if (text) setTimeout(() => update.view.dispatch({ effects: EditorView.announce.of(text) }), 0);
    }
  },
);

export const cursorDiagnostics = [
  focused,
  cursorTooltip,
  announcer,
  EditorView.focusChangeEffect.of((state, focusing) => setFocused.of(focusing)),
];
