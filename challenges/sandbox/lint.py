"""The linter: every finding about one request's exact bytes, before h11 sees them.

A server reads a head line by line and refuses the first line it cannot
parse; only once the head is complete does it judge the fields together
(Host, body framing). The linter follows the same order. `broken_line_end()`
finds the first line that is wrong on its own, so the framing can end the
request there, as soon as that line has arrived; `lint_head()` judges a
complete head; `lint_slice()` judges one request as the framing cut it (or the
unfinished rest of the input) and picks `fatal`, the error that decides the
response: the first broken line, else a broken size limit, else the first
error about the head as a whole or its body. It reuses what the framing
already found in the same bytes, so a head is linted once per request.
"""

from typing import NamedTuple

from .chunked import ChunkScan, decimal_size_hint, scan_chunked
from .diagnostics import Finding, first_error, shown
from .layout import (
    COMPLETE,
    HEADER_SECTION_CUT,
    INCOMPLETE,
    REQUEST_LINE_CUT,
    Field,
    HeadLayout,
    Line,
    scan_head,
)
from .limits import LIMITS
from .lint_body_framing import Framing
from .lint_fields import lint_field_lines, lint_field_semantics
from .lint_request_line import TOKEN, RequestLineFacts, lint_request_line


class LineReport(NamedTuple):
    """What the lines of a head say each on their own."""

    findings: list[Finding]
    facts: RequestLineFacts
    fields: list[Field]
    body_seen: bool  # a line of the body turned up among the header lines


class HeadReport(NamedTuple):
    line_findings: list[Finding]
    head_findings: list[Finding]  # about the fields together: Host, framing, repeats
    facts: RequestLineFacts
    fields: list[Field]
    framing: Framing

    @property
    def findings(self) -> list[Finding]:
        return self.line_findings + self.head_findings

    @property
    def fatal(self) -> Finding | None:
        return first_error(self.line_findings) or first_error(self.head_findings)


class Frame(NamedTuple):
    """Where the first request in a buffer ends, and what was learnt on the way
    (made by framing.py, which imports this module; `lint_slice()` reads it)."""

    end: int | None  # just past the request, or None while more bytes are needed
    layout: HeadLayout
    head: HeadReport | None = None  # the linted head, once it is complete
    chunks: ChunkScan | None = None  # the scan of a chunked body
    failure: str | None = None  # the input's hash, when framing it failed (see guard.py)

    @property
    def reaches_body(self) -> bool:
        """The request runs at least to the end of its head, so the head and
        body findings hold for the cut piece as they do for the buffer."""
        return self.end is None or self.end >= self.layout.head_end


class SliceReport(NamedTuple):
    findings: list[Finding]  # sorted by offset
    fatal: Finding | None  # the error that decides the response, if any
    request_start: int  # after leading empty lines: where h11 should start reading
    head_request: bool  # the request line starts with HEAD, so no response body
    framing: Framing = Framing()


def lint_lines(buffer: bytes, layout: HeadLayout) -> LineReport:
    findings = _line_findings(buffer, layout)
    facts = RequestLineFacts()
    if layout.request_line:
        request_findings, facts = lint_request_line(buffer, layout.request_line)
        findings += request_findings
    field_findings, fields, body_seen = lint_field_lines(buffer, layout.field_lines)
    return LineReport(findings + field_findings, facts, fields, body_seen)


def broken_line_end(buffer: bytes, layout: HeadLayout) -> int | None:
    """Just past the first complete line of the head that is wrong on its own,
    or None. Unterminated lines are not judged: more bytes may still come."""
    finished = layout._replace(
        request_line=layout.request_line
        if layout.request_line and layout.request_line.terminated
        else None,
        field_lines=tuple(line for line in layout.field_lines if line.terminated),
    )
    return end_of_line_with(first_error(lint_lines(buffer, finished).findings), finished)


def end_of_line_with(finding: Finding | None, layout: HeadLayout) -> int | None:
    """Just past the head line that holds `finding`, or None without one."""
    if finding is None:
        return None
    return next(line.stop for line in _head_lines(layout) if finding.offset < line.stop)


def lint_head(buffer: bytes, layout: HeadLayout) -> HeadReport:
    lines = lint_lines(buffer, layout)
    head_findings, framing = [], Framing()
    if not lines.body_seen:
        head_findings, framing = lint_field_semantics(
            buffer, lines.facts, lines.fields, layout.field_lines, layout.blank_line_start
        )
    return HeadReport(lines.findings, head_findings, lines.facts, lines.fields, framing)


def lint_slice(piece: bytes, frame: Frame | None = None) -> SliceReport:
    """Judge one request: `piece` is exactly what the framing gave it, or the
    unfinished end of the input (which then decides a 408 or a 400). `frame`
    is what `frame_request()` found in a buffer that starts with `piece`."""
    if frame is not None and frame.head is not None and frame.reaches_body:
        layout, head, chunks = frame.layout, frame.head, frame.chunks
    else:
        layout, head, chunks = scan_head(piece), None, None
    head_request = piece.startswith(b"HEAD ", layout.request_start)
    if layout.status == REQUEST_LINE_CUT:
        cut = _request_line_cut(piece, layout)
        return SliceReport(
            _leading_empty_lines(layout) + [cut], cut, layout.request_start, head_request
        )
    if layout.status == COMPLETE:
        head = head or lint_head(piece, layout)
        framing = head.framing
        if (
            not head.line_findings
            and not head.head_findings
            and not framing.chunked
            and len(piece) - layout.head_end >= (framing.content_length or 0)
        ):
            # The common case: nothing to say about the head, and the body is all there.
            return SliceReport([], None, layout.request_start, head_request, framing)
        if head.fatal:
            findings = head.findings
        else:
            findings = head.findings + _body_findings(piece, layout, head, chunks)
        fatal = first_error(head.line_findings) or first_error(findings)
        return SliceReport(
            _sorted(findings), fatal, layout.request_start, head_request, head.framing
        )
    findings = lint_lines(piece, layout).findings
    fatal = first_error(findings)
    if fatal is None and layout.status == HEADER_SECTION_CUT:
        fatal = _header_section_cut(layout)
        findings.append(fatal)
    elif fatal is None and layout.status == INCOMPLETE:
        # Nothing is wrong with the lines so far: the server waits for the rest.
        fatal = _unterminated_head(piece, layout)
        findings.append(fatal)
    return SliceReport(_sorted(findings), fatal, layout.request_start, head_request)


def findings_past_cut(buffer: bytes, frame: Frame) -> list[Finding]:
    """When the framing ended a request at a broken line before its head was
    over, the findings on the rest of that head in `buffer`: the independent
    mistakes a server would meet once the first is fixed (a real linter
    reports them all in one pass). They never change the response, which
    answers the first error, and a stream that stops at the cut has none."""
    layout = frame.layout
    if frame.end is None or layout.request_line is None:
        return []
    if layout.head_end is not None and frame.end >= layout.head_end:
        return []
    if frame.head is not None:
        findings = frame.head.findings
    else:
        lines = lint_lines(buffer, layout)
        findings = lines.findings
        if layout.status == INCOMPLETE and not lines.body_seen:
            findings = findings + [_unterminated_head(buffer, layout)]
    return [finding for finding in findings if finding.offset >= frame.end]


def _sorted(findings: list[Finding]) -> list[Finding]:
    if len(findings) < 2:
        return list(findings)
    return sorted(findings, key=lambda finding: finding.offset)


def _head_lines(layout: HeadLayout) -> list[Line]:
    lines = [layout.request_line] if layout.request_line else []
    return lines + list(layout.field_lines)


def _line_findings(buffer: bytes, layout: HeadLayout) -> list[Finding]:
    findings = _leading_empty_lines(layout)
    lines = _head_lines(layout)
    for number, line in enumerate(lines):
        carriage_return = buffer.find(b"\r", line.start, line.end)
        if carriage_return != -1:
            message = (
                f"Line {number + 1} of this request has a carriage return (CR) that no line feed follows. A lone "
                "CR is not a line break in HTTP, and RFC 9112 makes a server treat it as invalid; this one "
                "answers 400. Remove it, or end the line with CRLF."
            )
            findings.append(Finding("bare-cr", carriage_return, message))
    blank_line = _blank_line(layout)
    bare = [line for line in lines + blank_line if line.bare_lf]
    if bare:
        total = len(lines) + len(blank_line)
        count = "every line does" if len(bare) == total else f"{len(bare)} of {total} lines do"
        message = (
            f"This line ends with a bare LF, without the CR before it ({count}). HTTP/1.1 lines end with CRLF. "
            "RFC 9112 lets a server accept a bare LF, and this one does, but a strict server or proxy may not, "
            "and disagreements about line ends have been used to smuggle requests. End every line with CRLF."
        )
        findings.append(Finding("bare-lf", bare[0].end, message))
    return findings


def _blank_line(layout: HeadLayout) -> list[Line]:
    if layout.status != COMPLETE:
        return []
    start = layout.blank_line_start
    return [Line(start, start, layout.head_end)]


def _leading_empty_lines(layout: HeadLayout) -> list[Finding]:
    if layout.request_start == 0:
        return []
    message = (
        "The request starts with empty lines before the request line. RFC 9112 asks a server to ignore at "
        "least one (old clients sent a stray CRLF after a POST body), and this one skips them all, but a strict "
        "server may not. Start with the request line."
    )
    return [Finding("leading-empty-lines", 0, message)]


def _request_line_cut(piece: bytes, layout: HeadLayout) -> Finding:
    start = layout.request_start
    first_word = piece[start : layout.cut].split(b" ", 1)[0]
    if not TOKEN.fullmatch(first_word[:32]):
        message = (
            f"The server expected a request line, but the first {LIMITS.request_line_bytes} bytes, starting "
            f'"{shown(piece[start : start + 30])}", are not one and hold no line break. It answers 400 and '
            'closes the connection. Start with a request line such as "GET /books HTTP/1.1".'
        )
        return Finding("malformed-request-line", start, message)
    message = (
        f"The request line does not end within {LIMITS.request_line_bytes} bytes (the sandbox's limit, counting "
        "any empty lines before it). A server must hold the whole line before it can act, so it refuses long ones "
        "with 414 URI Too Long. Usually a query string has grown too long: shorten the target, or send the data "
        "in a POST body."
    )
    return Finding("request-line-too-long", start, message)


def _header_section_cut(layout: HeadLayout) -> Finding:
    message = (
        f"The header section does not end within {LIMITS.header_section_bytes} bytes (the sandbox's limit). A "
        "server keeps the whole head in memory before it acts, so it refuses large ones with 431 Request Header "
        "Fields Too Large. Usually a cookie or a token has grown too big: send fewer or shorter fields."
    )
    return Finding("header-section-too-large", layout.request_line.stop, message)


def _unterminated_head(piece: bytes, layout: HeadLayout) -> Finding:
    lines = _head_lines(layout)
    last = lines[-1] if lines else None
    unfinished = (
        " and its last line has no line break either" if last and not last.terminated else ""
    )
    message = (
        f'The request stops after "{shown(piece[last.start : last.end]) if last else ""}" without the empty line '
        f"that ends the head{unfinished}. Until that empty line arrives a server cannot know the header fields "
        "are over, so it keeps waiting; after a while it gives up with 408 Request Timeout and closes the "
        "connection. End the head with an empty line (CRLF twice after the last field)."
    )
    return Finding("unterminated-head", len(piece), message)


def _body_findings(piece: bytes, layout: HeadLayout, head: HeadReport, chunks) -> list[Finding]:
    if head.framing.chunked:
        scan = chunks or scan_chunked(piece, layout.head_end)
        if scan.end is not None:
            return list(scan.findings)
        return list(scan.findings) + [_incomplete_chunked_body(piece, scan)]
    promised = head.framing.content_length or 0
    received = len(piece) - layout.head_end
    if received >= promised:
        return []
    length_field = next(f for f in head.fields if f.key == b"content-length")
    message = (
        f"Content-Length says {promised} bytes, but only {received} follow the empty line. The server waits for "
        "the missing bytes; when they never come it gives up with 408 Request Timeout and closes the connection. "
        f"Set Content-Length to the body's size: {received}."
    )
    return [
        Finding(
            "content-length-longer-than-body",
            length_field.value_offset,
            message,
            f"Content-Length: {received}",
        )
    ]


def _incomplete_chunked_body(piece: bytes, scan) -> Finding:
    waiting = "keeps waiting for the rest, then gives up with 408 Request Timeout and closes the connection"
    if scan.pending:
        size_text, data_start = scan.pending
        hint, fix = decimal_size_hint(piece, size_text, data_start)
        message = (
            f'The chunk size "{shown(size_text)}" announces {int(size_text, 16)} bytes (sizes are hexadecimal), '
            f"but the input ends before they have all arrived. A server {waiting}."
        )
        message += (
            hint
            or " Make each size count exactly its chunk's data, and end the body with 0 and an empty line."
        )
        return Finding("incomplete-chunked-body", len(piece), message, fix)
    message = (
        f"The chunked body stops after {len(scan.body)} bytes of data without its last chunk: a line with 0 and "
        f"then an empty line. A server {waiting}. End the body with 0, CRLF and CRLF."
    )
    return Finding("incomplete-chunked-body", len(piece), message, "0")
