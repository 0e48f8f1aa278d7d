// Completion of methods (request line), field names (start of a field line)
// and common values (after a known field name's colon).
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"];

const FIELDS = {
  Host: ["sandbox.localhost"],
  Accept: ["application/json", "text/html", "text/plain", "*/*"],
  "Accept-Encoding": ["gzip", "identity"],
  "Accept-Language": ["en", "en-GB", "fr"],
  Authorization: ["Basic ", "Bearer "],
  "Cache-Control": ["no-cache", "no-store", "max-age=0", "max-age=60"],
  Connection: ["close", "keep-alive"],
  "Content-Length": [],
  "Content-Type": ["application/json", "text/plain", "application/x-www-form-urlencoded"],
  Cookie: [],
  "If-Match": ['"v1"', "*"],
  "If-Modified-Since": [],
  "If-None-Match": ['"v1"', "*"],
  "If-Unmodified-Since": [],
  Origin: ["http://sandbox.localhost"],
  Range: ["bytes=0-99"],
  Referer: [],
  "Transfer-Encoding": ["chunked"],
  "User-Agent": ["curl/8.5.0"],
};

const FIELD_OPTIONS = Object.keys(FIELDS).map((name) => ({
  label: name,
  apply: name + ": ",
  type: "property",
}));

// Whether `pos` is still in the head: no empty line above it.
function inHead(doc, lineNumber) {
  for (let n = 1; n < lineNumber; n++) {
    const text = doc.line(n).text;
    if (n > 1 && (text === "" || text === "\r")) return false;
  }
  return true;
}

export function httpCompletions(context) {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  if (!inHead(context.state.doc, line.number)) return null;
  if (line.number === 1) {
    const word = before.match(/^[A-Za-z]*$/);
    if (!word || (!word[0] && !context.explicit)) return null;
    return {
      from: line.from,
      options: METHODS.map((m) => ({ label: m, apply: m + " ", type: "keyword" })),
      validFor: /^[A-Za-z]*$/,
    };
  }
  const name = before.match(/^[A-Za-z0-9-]*$/);
  if (name) {
    if (!name[0] && !context.explicit) return null;
    return { from: line.from, options: FIELD_OPTIONS, validFor: /^[A-Za-z0-9-]*$/ };
  }
  const value = before.match(/^([A-Za-z0-9-]+):[ \t]*(\S*)$/);
  if (!value) return null;
  const known = Object.keys(FIELDS).find((f) => f.toLowerCase() === value[1].toLowerCase());
  const values = known ? FIELDS[known] : [];
  if (!values.length) return null;
  return {
    from: context.pos - value[2].length,
    options: values.map((v) => ({ label: v, type: "constant" })),
    validFor: /^\S*$/,
  };
}
