"""What the sandbox says about the learner's bytes.

The linter works on byte offsets inside the piece of input it examines and
produces `Finding`s; the engine turns them into `Diagnostic`s, with the line
and column in the learner's whole text. `CODES` is the single registry of
every code: its severity, the RFC section to read, a one-line title, and the
status a real server answers with when that finding is the first error in a
request (None for codes that never decide a status).
"""

from dataclasses import dataclass, replace

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class CodeInfo:
    severity: str
    rfc: str
    title: str
    status: int | None = None


def _error(rfc: str, title: str, status: int | None = 400) -> CodeInfo:
    return CodeInfo(ERROR, rfc, title, status)


def _warning(rfc: str, title: str) -> CodeInfo:
    return CodeInfo(WARNING, rfc, title)


CODES: dict[str, CodeInfo] = {
    # The input as a whole, and the connection.
    "empty-input": _error("RFC 9112 §2.1", "Nothing was sent, so there is nothing to answer", None),
    "input-too-large": _error(
        "RFC 9110 §15.5.1", "The input is larger than the sandbox accepts (64 KiB)"
    ),
    "pipeline-too-long": _error(
        "RFC 9112 §9.3.2", "More pipelined requests than the sandbox answers on one connection"
    ),
    "ignored-after-close": _warning(
        "RFC 9112 §9.6", "Bytes after a response that closed the connection are never read"
    ),
    "client-closed-early": _error(
        "RFC 9112 §8", "The client closed its side before the request was complete"
    ),
    "host-disagrees-with-target": _warning(
        "RFC 9112 §3.2.2", "Host names another host than the absolute-form target"
    ),
    # Lines and the shape of the head.
    "bare-lf": _warning("RFC 9112 §2.2", "A line ends with LF alone instead of CRLF"),
    "bare-cr": _error("RFC 9112 §2.2", "A CR that is not followed by LF"),
    "leading-empty-lines": _warning("RFC 9112 §2.2", "Empty lines before the request line"),
    "unterminated-head": _error("RFC 9112 §2.1", "The head never ends with an empty line", 408),
    "body-without-blank-line": _error(
        "RFC 9112 §2.1", "The body starts without an empty line before it"
    ),
    "whitespace-before-first-field": _error(
        "RFC 9112 §2.2", "Whitespace between the request line and the first field"
    ),
    # The request line.
    "request-line-too-long": _error("RFC 9112 §3", "The request line is longer than 8 KiB", 414),
    "malformed-request-line": _error(
        "RFC 9112 §3", "The first line is not METHOD SP target SP version"
    ),
    "extra-whitespace-in-request-line": _error(
        "RFC 9112 §3", "Extra spaces or tabs in the request line"
    ),
    "non-ascii-in-request-line": _error("RFC 9112 §3.2", "Non-ASCII bytes in the request line"),
    "lowercase-method": _error(
        "RFC 9110 §9.1", "The method is not in upper case; methods are case-sensitive", 501
    ),
    "unknown-method": _error("RFC 9110 §9.1", "A method this server does not implement", 501),
    "bad-request-target": _error("RFC 9112 §3.2", "The request target is not a valid path or URL"),
    "fragment-in-target": _warning("RFC 9112 §3.2", "A #fragment in the request target"),
    "connect-to-origin": _warning(
        "RFC 9110 §9.3.6", "CONNECT asks for a tunnel, and this server is not a proxy"
    ),
    "missing-http-version": _error("RFC 9112 §3", "The request line has no HTTP version"),
    "malformed-http-version": _error(
        "RFC 9112 §2.3", "The HTTP version is not written as HTTP/1.1"
    ),
    "http2-request-line": _error(
        "RFC 9113 §3", "HTTP/2 or HTTP/3 named in a text request line", 505
    ),
    "unsupported-http-version": _error(
        "RFC 9110 §2.5", "An HTTP version this server does not speak", 505
    ),
    "newer-minor-version": _warning(
        "RFC 9110 §2.5", "A newer HTTP/1.x minor version, answered as HTTP/1.1"
    ),
    # Field lines.
    "space-before-colon": _error("RFC 9112 §5.1", "Whitespace between a field name and its colon"),
    "missing-colon": _error("RFC 9112 §5", "A header line without a colon"),
    "empty-header-name": _error("RFC 9112 §5", "A header line that starts with a colon"),
    "invalid-header-name": _error(
        "RFC 9110 §5.1", "A field name with characters a token cannot have"
    ),
    "invalid-header-value": _error("RFC 9110 §5.5", "A control character in a field value"),
    "non-ascii-in-header-value": _warning("RFC 9110 §5.5", "Non-ASCII bytes in a field value"),
    "obs-fold": _error(
        "RFC 9112 §5.2", "A header line that starts with whitespace (obsolete line folding)"
    ),
    "header-section-too-large": _error(
        "RFC 6585 §5", "The header section is larger than 16 KiB", 431
    ),
    "too-many-header-fields": _error("RFC 6585 §5", "More than 100 header fields", 431),
    "duplicate-field": _warning("RFC 9110 §5.3", "A single-value field sent more than once"),
    "missing-host": _error("RFC 9112 §3.2", "An HTTP/1.1 request without a Host field"),
    "duplicate-host": _error("RFC 9112 §3.2", "More than one Host field"),
    "invalid-host": _error(
        "RFC 9112 §3.2", "A Host value that is not a host name with an optional port"
    ),
    "empty-host": _warning(
        "RFC 9112 §3.2", "An empty Host, meant only for a target without a host"
    ),
    "unsupported-expectation": _error(
        "RFC 9110 §10.1.1", "An Expect value other than 100-continue", 417
    ),
    # Body framing.
    "invalid-content-length": _error("RFC 9112 §6.3", "A Content-Length that is not a number"),
    "negative-content-length": _error("RFC 9110 §8.6", "A negative Content-Length"),
    "conflicting-content-length": _error(
        "RFC 9112 §6.3", "Several different Content-Length values"
    ),
    "repeated-content-length": _warning(
        "RFC 9110 §8.6", "The same Content-Length sent more than once"
    ),
    "content-length-and-transfer-encoding": _error(
        "RFC 9112 §6.1", "Both Content-Length and Transfer-Encoding (request smuggling)"
    ),
    "transfer-encoding-in-http10": _error(
        "RFC 9112 §6.1", "Transfer-Encoding in an HTTP/1.0 request"
    ),
    "unknown-transfer-coding": _error(
        "RFC 9112 §6.1", "A transfer coding this server does not implement", 501
    ),
    "invalid-transfer-encoding": _error(
        "RFC 9112 §6.1", "A Transfer-Encoding whose last coding is not chunked"
    ),
    "bad-chunked-encoding": _error("RFC 9112 §7.1", "The chunked body is not framed correctly"),
    "chunk-extension": _warning(
        "RFC 9112 §7.1.1", "A chunk extension with whitespace before it, or outside the grammar"
    ),
    "incomplete-chunked-body": _error(
        "RFC 9112 §7.1", "The chunked body stops before its last chunk", 408
    ),
    "content-length-longer-than-body": _error(
        "RFC 9112 §6.3", "Content-Length promises more bytes than were sent", 408
    ),
    "content-length-shorter-than-body": _error(
        "RFC 9112 §6.3",
        "Content-Length is shorter than the body; the rest became a new request",
        None,
    ),
    "body-without-length": _error(
        "RFC 9112 §6.3", "A body with neither Content-Length nor Transfer-Encoding", None
    ),
    "trailing-garbage": _error(
        "RFC 9112 §6.3", "Bytes after the end of a request that are not a request", None
    ),
    "body-too-large": _error("RFC 9110 §15.5.14", "The body is larger than 32 KiB", 413),
    "body-on-get": _warning(
        "RFC 9110 §9.3.1", "A body on a request whose method gives it no meaning"
    ),
    # When something other than the linter had the last word.
    "parser-rejected": _error("RFC 9112 §2.2", "The HTTP parser refused the request"),
    "internal-error": _error("RFC 9110 §15.6.1", "The sandbox itself failed on this request", 500),
}

DIAGNOSTIC_CODES: dict[str, tuple[str, str, str]] = {
    code: (info.severity, info.rfc, info.title) for code, info in CODES.items()
}


@dataclass(frozen=True)
class Diagnostic:
    """One finding, placed in the learner's text.

    A finding that only happened because of another one (the rest of a body
    read as a new request, a Host line so broken the request has no Host) is
    a follow-on: its `caused_by` names the root's code, and the root lists it
    in `follow_ons`. Lists of diagnostics hold every finding once, in order
    of position, with a root before its follow-ons at the same position; a
    page shows the roots (`caused_by` is None) and folds each one's
    `follow_ons` under it.
    """

    code: str
    line: int
    column: int
    severity: str
    message: str
    rfc: str
    fix: str | None = None
    caused_by: str | None = None
    follow_ons: tuple["Diagnostic", ...] = ()

    def to_dict(self) -> dict:
        """The fields as a dict; `caused_by` and `follow_ons` only when set, so
        a diagnostic that is neither root nor follow-on keeps its old shape."""
        data = {
            "code": self.code,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "rfc": self.rfc,
            "fix": self.fix,
        }
        if self.caused_by is not None:
            data["caused_by"] = self.caused_by
        if self.follow_ons:
            data["follow_ons"] = [follow_on.to_dict() for follow_on in self.follow_ons]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Diagnostic":
        """The Diagnostic that `to_dict()` gave `data` (old records included)."""
        follow_ons = tuple(cls.from_dict(item) for item in data.get("follow_ons", ()))
        return cls(**{**data, "follow_ons": follow_ons})

    @property
    def position(self) -> tuple[int, int, bool]:
        """The sort key: line, column, and roots before follow-ons."""
        return self.line, self.column, self.caused_by is not None


def folded(diagnostics: list[Diagnostic], causes: dict[int, int]) -> list[Diagnostic]:
    """`diagnostics` with each follow-on (an index in `causes`) tied to its root
    (the index it maps to), sorted by position. A follow-on of a follow-on is
    tied to the first root."""
    if not causes:
        return sorted(diagnostics, key=_position)

    def root_of(index: int) -> int:
        seen = {index}
        while index in causes and causes[index] not in seen:
            index = causes[index]
            seen.add(index)
        return index

    placed = list(diagnostics)
    follow_ons: dict[int, list[Diagnostic]] = {}
    for index in sorted(causes, key=lambda i: diagnostics[i].position):
        root = root_of(index)
        if root == index:
            continue
        placed[index] = replace(placed[index], caused_by=diagnostics[root].code)
        follow_ons.setdefault(root, []).append(placed[index])
    for root, children in follow_ons.items():
        placed[root] = replace(placed[root], follow_ons=placed[root].follow_ons + tuple(children))
    return sorted(placed, key=_position)


def _position(diagnostic: Diagnostic) -> tuple[int, int, bool]:
    return diagnostic.position


@dataclass(frozen=True)
class Finding:
    """A diagnostic before it has a line and column: `offset` is a byte index
    into the piece of input the linter was given."""

    code: str
    offset: int
    message: str
    fix: str | None = None
    rfc: str | None = None  # a more precise section than the code's default

    @property
    def is_error(self) -> bool:
        return CODES[self.code].severity == ERROR

    def shifted(self, by: int) -> "Finding":
        return Finding(self.code, self.offset + by, self.message, self.fix, self.rfc)

    def placed(self, text: bytes) -> Diagnostic:
        """The Diagnostic for this finding, `offset` being an index into `text`."""
        offset = max(0, min(self.offset, len(text)))
        line = text.count(b"\n", 0, offset) + 1
        column = offset - (text.rfind(b"\n", 0, offset) + 1) + 1
        info = CODES[self.code]
        return Diagnostic(
            self.code, line, column, info.severity, self.message, self.rfc or info.rfc, self.fix
        )


def first_error(findings: list[Finding]) -> Finding | None:
    """The error a server reading from the first byte would stumble on first."""
    if not findings:
        return None
    errors = [finding for finding in findings if finding.is_error]
    return min(errors, key=lambda finding: finding.offset) if errors else None


def shown(raw: bytes, limit: int = 40) -> str:
    """`raw` as a learner can read it inside a message: control bytes become
    escapes (a tab shows as \\t), long text is shortened with an ellipsis."""
    # Every character shows as at least one, so limit + 1 of them decide it all.
    text = raw.decode("utf-8", "backslashreplace")[: limit + 1]
    visible = text.translate(_ESCAPES)
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F]} | {
    ord("\t"): "\\t",
    ord("\r"): "\\r",
    ord("\n"): "\\n",
}
