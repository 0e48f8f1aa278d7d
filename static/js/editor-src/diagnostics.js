// The sandbox's diagnostics, placed in the editor. The server counts lines by LF
// and columns in bytes from 1; the editor's text has the same lines (its line
// separator is LF only, CRs stay in the text), so only the column needs turning
// from a UTF-8 byte count into a character offset.
import { setDiagnostics } from "@codemirror/lint";

function utf8Length(codePoint) {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

// The offset in `text` (UTF-16 units) of the character that starts at byte `byteIndex`.
function charOffset(text, byteIndex) {
  let bytes = 0;
  let offset = 0;
  for (const char of text) {
    if (bytes >= byteIndex) break;
    bytes += utf8Length(char.codePointAt(0));
    offset += char.length;
  }
  return offset;
}

function place(doc, item) {
  if (item.line > doc.lines) return { from: doc.length, to: doc.length };
  const line = doc.line(Math.max(1, item.line));
  const from = line.from + Math.min(charOffset(line.text, Math.max(0, item.column - 1)), line.length);
  return { from, to: Math.min(from + 1, line.to) };
}

function message(item) {
  let text = `${item.code}: ${item.message}`;
  if (item.rfc) text += ` (${item.rfc})`;
  if (item.fix) text += ` Try: ${item.fix}`;
  return text;
}

export function toLint(doc, items) {
  return items
    .filter((item) => !item.caused_by)
    .map((item) => ({
      ...place(doc, item),
      severity: item.severity === "error" ? "error" : item.severity === "warning" ? "warning" : "info",
      source: `Line ${item.line}, column ${item.column}`,
      message: message(item),
    }));
}

// The diagnostics a result fragment carries: a data-diagnostics attribute on the
// result element or one inside it; none (an empty list) when the result has none.
export function readDiagnostics(result) {
  if (!result) return [];
  const holder = result.matches("[data-diagnostics]") ? result : result.querySelector("[data-diagnostics]");
  if (!holder) return [];
  try {
    const items = JSON.parse(holder.dataset.diagnostics);
    return Array.isArray(items) ? items : [];
  } catch (error) {
    return [];
  }
}

export function showDiagnostics(view, items) {
  view.dispatch(setDiagnostics(view.state, toLint(view.state.doc, items)));
}
