"""Reading a chunked body (RFC 9112 §7.1) exactly as far as the bytes allow.

`scan_chunked()` walks the chunks from the end of the head. It reports where
the body ends, or that more bytes are needed, or the first framing error, in
which case `end` is the fixed offset at which the error became certain (the
end of a bad size line, the two bytes after a chunk's data). Cutting there
makes the framing independent of how a stream was split into reads.

It is as strict as h11 (CRLF after every size line and every chunk), so h11
never refuses a body this module accepted, with one exception the RFC
requires: whitespace before a chunk extension's ";" (RFC 9112 §7.1.1 allows
it, h11 refuses it). Such a body is accepted with a warning, and parse.py
hands h11 the body with that whitespace taken out
(`without_whitespace_before_extensions()`).
"""

import re
from dataclasses import dataclass

from .diagnostics import Finding, shown
from .layout import HEAD_END, split_lines
from .limits import LIMITS

# A size, then anything from a ";" on (as h11 reads it), with optional
# whitespace (BWS) before the ";", which the grammar allows and h11 does not.
CHUNK_SIZE_LINE = re.compile(rb"([0-9A-Fa-f]{1,20})((?:[ \t]*;[^\r\n]*)?)[ \t]*\r\n")
TOKEN = re.compile(rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+")
# RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ),
# the name a token, the value a token or a quoted string.
_TOKEN = rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+"
_QUOTED = rb'"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"'
CHUNK_EXTENSIONS = re.compile(
    rb"(?:[ \t]*;[ \t]*" + _TOKEN + rb"(?:[ \t]*=[ \t]*(?:" + _TOKEN + rb"|" + _QUOTED + rb"))?)*"
)
SIZE_THEN_SOMETHING = re.compile(rb"([0-9A-Fa-f]{1,20})[ \t]*[^0-9A-Fa-f; \t].*", re.S)
WHITESPACE_BEFORE_EXTENSION = re.compile(rb"([0-9A-Fa-f]{1,20})[ \t]+;")
EXTENSION_GRAMMAR = (
    'A chunk extension is a ";", a name and, if it has one, "=" and a value, as in "1a;name=value": '
    "the name is a token, the value a token or a quoted string, and whitespace may stand around the "
    '";" and the "=". Servers ignore extensions they do not know.'
)
CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # a tab is fine in a value


@dataclass(frozen=True)
class ChunkScan:
    end: int | None  # None while more bytes are needed
    body: bytes
    findings: tuple[Finding, ...] = ()
    pending: tuple[bytes, int] | None = None  # size text and data offset of a chunk still arriving

    @property
    def failed(self) -> bool:
        return any(finding.is_error for finding in self.findings)


def scan_chunked(buffer: bytes, start: int) -> ChunkScan:
    # However the chunks are cut, their encoding must end within the input
    # limit: otherwise tiny chunks with long extensions could make a server
    # buffer without end while the data stays under the body limit.
    wire_limit = start + LIMITS.input_bytes
    scan = _scan(buffer[:wire_limit], start)
    if scan.end is None and len(buffer) >= wire_limit:
        message = (
            f"The chunked body is still going after {LIMITS.input_bytes} bytes on the wire, more than the "
            "sandbox reads for one request, so it stops and answers 413 Content Too Large. Send fewer, larger "
            "chunks, or a smaller body."
        )
        return _failed(wire_limit, [scan.body], Finding("body-too-large", start, message))
    return scan


def _scan(buffer: bytes, start: int) -> ChunkScan:
    position = start
    data: list[bytes] = []
    notes: list[Finding] = []  # warnings: the body is still read
    total = 0
    while True:
        line_limit = position + LIMITS.chunk_size_line_bytes
        newline = buffer.find(b"\n", position, line_limit)
        if newline == -1:
            if len(buffer) >= line_limit:
                message = (
                    f'The chunk size line starting with "{shown(buffer[position : position + 20])}" runs on for more '
                    f"than {LIMITS.chunk_size_line_bytes} bytes without a line break, so the server gives up on "
                    "the body and answers 400. A size line is just the chunk's size in hexadecimal and CRLF."
                )
                return _failed(
                    line_limit, data, Finding("bad-chunked-encoding", position, message), notes
                )
            return ChunkScan(None, b"".join(data), tuple(notes))
        line = buffer[position : newline + 1]
        match = CHUNK_SIZE_LINE.fullmatch(line)
        if not match:
            return _failed(newline + 1, data, _bad_size_line(line, position), notes)
        if match.group(2) and not notes:
            notes += _extension_note(match.group(1), match.group(2), position)
        size = int(match.group(1), 16)
        total += size
        if total > LIMITS.body_bytes:
            message = (
                f'The chunk size "{shown(match.group(1))}" brings the body to {total} bytes, more than the '
                f"sandbox's limit of {LIMITS.body_bytes}. A real server stops reading there and answers "
                "413 Content Too Large. Send a smaller body."
            )
            return _failed(newline + 1, data, Finding("body-too-large", position, message), notes)
        position = newline + 1
        if size == 0:
            scan = _scan_trailer(buffer, position, data)
            return ChunkScan(scan.end, scan.body, (*notes, *scan.findings)) if notes else scan
        data_end = position + size
        if len(buffer) < data_end + 2:
            return ChunkScan(None, b"".join(data), tuple(notes), (match.group(1), position))
        if buffer[data_end : data_end + 2] != b"\r\n":
            finding = _data_not_followed_by_crlf(buffer, match.group(1), position, size)
            return _failed(data_end + 2, data, finding, notes)
        data.append(buffer[position:data_end])
        position = data_end + 2


def _failed(end: int, data: list[bytes], finding: Finding, notes=()) -> ChunkScan:
    return ChunkScan(end, b"".join(data), (*notes, finding))


def _extension_note(size_text: bytes, extensions: bytes, offset: int) -> list[Finding]:
    """A warning about the chunk extensions after `size_text`: whitespace
    before the ";" (allowed, but refused by parsers such as h11), or
    extensions outside the grammar (this server ignores them; a strict one
    refuses them). Nothing for a plain, well-formed extension."""
    spaced = extensions[:1] in (b" ", b"\t")
    well_formed = CHUNK_EXTENSIONS.fullmatch(extensions.rstrip(b" \t"))
    if well_formed and not spaced:
        return []
    written = shown(size_text + extensions)
    plain = size_text.decode("ascii") + extensions.strip(b" \t").decode("latin-1")
    if not well_formed:
        problem = (
            f'The chunk size line "{written}" carries an extension that does not follow the grammar. '
            "This server ignores chunk extensions, so it reads the chunk anyway, but a strict server answers 400."
        )
        return [
            Finding("chunk-extension", offset + len(size_text), f"{problem} {EXTENSION_GRAMMAR}")
        ]
    problem = (
        f'The chunk size line "{written}" has whitespace between the size and the ";". The grammar allows it, '
        "and this server accepts it and ignores the extension, as servers must with extensions they do not "
        "know; but some parsers (h11 among them) refuse the line with 400, so leave the whitespace out."
    )
    return [
        Finding("chunk-extension", offset + len(size_text), f"{problem} {EXTENSION_GRAMMAR}", plain)
    ]


def without_whitespace_before_extensions(body: bytes) -> bytes:
    """A chunked body that the framing accepted, with the whitespace between
    each chunk size and its ";" taken out, so that h11 (which refuses it)
    reads the same chunks. Everything else is left byte for byte."""
    if not WHITESPACE_BEFORE_EXTENSION.search(body):
        return body
    pieces, position = [], 0
    while True:
        newline = body.find(b"\n", position)
        match = CHUNK_SIZE_LINE.fullmatch(body, position, newline + 1) if newline != -1 else None
        if match is None:
            pieces.append(body[position:])
            return b"".join(pieces)
        line = body[position : newline + 1]
        spaced = WHITESPACE_BEFORE_EXTENSION.match(line)
        pieces.append(spaced.group(1) + line[spaced.end() - 1 :] if spaced else line)
        size = int(match.group(1), 16)
        position = newline + 1
        if size == 0:
            pieces.append(body[position:])
            return b"".join(pieces)
        pieces.append(body[position : position + size + 2])
        position += size + 2


def _bad_size_line(line: bytes, position: int) -> Finding:
    content = line.rstrip(b"\r\n")
    repair = "Write each chunk as its size in hexadecimal, CRLF, the data, CRLF, and end the body with 0 and an empty line."
    if not line.endswith(b"\r\n") and CHUNK_SIZE_LINE.fullmatch(content + b"\r\n"):
        message = (
            f'The chunk size line "{shown(content)}" ends with LF alone. Inside a chunked body the sandbox, '
            "like h11, needs CRLF after every size line and every chunk, so it answers 400. End the line with CRLF."
        )
    elif SIZE_THEN_SOMETHING.fullmatch(content):
        size = SIZE_THEN_SOMETHING.fullmatch(content).group(1)
        message = (
            f'The chunk size line "{shown(content)}" starts with the size {shown(size)}, but what follows '
            "is not a chunk extension, so the server cannot read the line and answers 400. After the size "
            f"only extensions may come. {EXTENSION_GRAMMAR}"
        )
    elif not content:
        message = (
            "An empty line stands where the next chunk size belongs. The server cannot tell where the next "
            f"chunk starts and answers 400. {repair}"
        )
    else:
        message = (
            f'The server expected a chunk size in hexadecimal here, but found "{shown(content)}", so it cannot '
            f"tell where the chunk ends and answers 400. {repair}"
        )
    return Finding("bad-chunked-encoding", position, message)


def _data_not_followed_by_crlf(
    buffer: bytes, size_text: bytes, data_start: int, size: int
) -> Finding:
    after = buffer[data_start + size : data_start + size + 2]
    message = (
        f'The chunk size "{shown(size_text)}" announces {size} bytes (sizes are hexadecimal), but the two bytes '
        f'after those {size} are "{shown(after)}", not CRLF. The size must count exactly the chunk\'s data, '
        "otherwise the server loses track of the body and answers 400."
    )
    hint, fix = decimal_size_hint(buffer, size_text, data_start)
    return Finding("bad-chunked-encoding", data_start + size, message + hint, fix)


def decimal_size_hint(buffer: bytes, size_text: bytes, data_start: int) -> tuple[str, str | None]:
    """A sentence and a fix for the classic mistake of a chunk size written in
    decimal, when the data does end after that many bytes."""
    if not size_text.isdigit() or int(size_text) < 10:
        return "", None
    meant = int(size_text)
    if buffer[data_start + meant : data_start + meant + 2] != b"\r\n":
        return "", None
    fix = f"{meant:x}"
    return (
        f' It looks like you wrote the size in decimal: {meant} bytes is "{fix}" in hexadecimal.',
        fix,
    )


def _scan_trailer(buffer: bytes, start: int, data: list[bytes]) -> ChunkScan:
    if buffer.startswith(b"\r\n", start):
        return ChunkScan(start + 2, b"".join(data))
    if buffer.startswith(b"\n", start):
        return ChunkScan(start + 1, b"".join(data), (_bare_lf_in_trailer(start),))
    limit = start + LIMITS.header_section_bytes
    match = HEAD_END.search(buffer, start, limit)
    if not match:
        if len(buffer) >= limit:
            message = (
                f"The trailer fields after the last chunk run on for more than {LIMITS.header_section_bytes} bytes. "
                "The server stops reading and answers 431. Keep trailers short, or send none."
            )
            return _failed(limit, data, Finding("header-section-too-large", start, message))
        return ChunkScan(None, b"".join(data))
    for line in split_lines(buffer, start, match.start() + 1):
        problem = _trailer_line_problem(buffer[line.start : line.end])
        if problem:
            message = (
                f"After the last chunk (0) the server reads trailer fields until an empty line, but "
                f'"{shown(buffer[line.start : line.end])}" is not a field: {problem} It answers 400. '
                "If you did not mean to send trailers, put an empty line right after the 0."
            )
            return _failed(match.end(), data, Finding("bad-chunked-encoding", line.start, message))
    return ChunkScan(match.end(), b"".join(data))


def _trailer_line_problem(content: bytes) -> str | None:
    name, colon, value = content.partition(b":")
    if not colon or not TOKEN.fullmatch(name):
        return "a field is a name, a colon and a value."
    if name.lower() in (b"content-length", b"transfer-encoding"):
        return "fields that frame the message cannot arrive after the body they frame."
    if CONTROL.search(value):
        return "its value holds a control character."
    return None


def _bare_lf_in_trailer(offset: int) -> Finding:
    message = (
        "The empty line that ends this chunked body is a bare LF instead of CRLF. Servers may accept it, and "
        "this one does, but a strict one would not. End the body with 0, CRLF and CRLF."
    )
    return Finding("bare-lf", offset, message)
