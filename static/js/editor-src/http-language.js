// HTTP/1.1 request highlighting: the request line (method, target, version),
// then field lines (name, colon, value) until the empty line, then the body.
// A StreamLanguage is enough: HTTP's head is line-oriented and needs no tree.
import { StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { tagHighlighter, tags } from "@lezer/highlight";

// A line holding nothing but a stray CR still ends the head for a lenient reader,
// and the editor keeps CRs in the text (lineSeparator is "\n").
function isEmptyLine(stream) {
  return stream.string === "" || stream.string === "\r";
}

function startLine(stream, state) {
  if (stream.eatSpace()) return null;
  const part = state.part;
  state.part += 1;
  if (part === 0 && stream.match(/^[^\s]+/)) return "keyword";
  if (part === 1 && stream.match(/^[^\s]+/)) return "url";
  if (stream.match(/^HTTP\/\d(\.\d)?/)) return "typeName";
  stream.match(/^\S+/);
  return "invalid";
}

function fieldLine(stream, state) {
  if (stream.sol()) state.inValue = false;
  if (!state.inValue) {
    if (stream.sol() && /^[ \t]/.test(stream.string)) {
      state.inValue = true; // obsolete line folding: a continuation of the last value
      stream.skipToEnd();
      return "string";
    }
    if (stream.match(/^[^:\s]+/)) return "propertyName";
    if (stream.eatSpace()) return null;
    if (stream.eat(":")) {
      state.inValue = true;
      return "punctuation";
    }
    stream.next();
    return "invalid";
  }
  if (stream.eatSpace()) return null;
  stream.match(/^.*?(?=\s*$)/);
  if (stream.current() === "") stream.next();
  return "string";
}

export const httpLanguage = StreamLanguage.define({
  name: "http",
  startState: () => ({ section: "start", part: 0, inValue: false }),
  copyState: (state) => ({ ...state }),
  token(stream, state) {
    if (stream.sol() && state.section === "start" && state.part > 0) {
      state.section = "fields";
    }
    if (state.section === "fields" && stream.sol() && isEmptyLine(stream)) {
      state.section = "body";
      stream.skipToEnd();
      return null;
    }
    if (state.section === "start") return startLine(stream, state);
    if (state.section === "fields") return fieldLine(stream, state);
    stream.skipToEnd();
    return "content";
  },
  blankLine(state) {
    if (state.section === "fields") state.section = "body";
    else if (state.section === "start" && state.part > 0) state.section = "body";
  },
});

// Class names instead of inline colours, so site.css themes them for light and dark.
export const httpHighlighting = syntaxHighlighting(
  tagHighlighter([
    { tag: tags.keyword, class: "tok-method" },
    { tag: tags.url, class: "tok-target" },
    { tag: tags.typeName, class: "tok-version" },
    { tag: tags.propertyName, class: "tok-field-name" },
    { tag: tags.punctuation, class: "tok-colon" },
    { tag: tags.string, class: "tok-field-value" },
    { tag: tags.content, class: "tok-body" },
    { tag: tags.invalid, class: "tok-invalid" },
  ]),
);
