"""Reading a chunked body (RFC 9112 §7.1) exactly as far as the bytes allow.

`scan_chunked()` walks the chunks from the end of the head. It reports where
the body ends, or that more bytes are needed, or the first framing error, in
which case `end` is the fixed offset at which the error became certain (the
end of a bad size line, the two bytes after a chunk's data). Cutting there
makes the framing independent of how a stream was split into reads.

It is as strict as h11 (CRLF after every size line and every chunk), so h11
never refuses a body this module accepted.
"""

import re
from dataclasses import dataclass

from .diagnostics import Finding, shown
from .layout import HEAD_END, split_lines
from .limits import LIMITS

CHUNK_SIZE_LINE = re.compile(rb"([0-9A-Fa-f]{1,20})(;[^\r\n]*)?[ \t]*\r\n")
TOKEN = re.compile(rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+")
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
                return _failed(line_limit, data, Finding("bad-chunked-encoding", position, message))
            return ChunkScan(None, b"".join(data))
        line = buffer[position : newline + 1]
        match = CHUNK_SIZE_LINE.fullmatch(line)
        if not match:
            return _failed(newline + 1, data, _bad_size_line(line, position))
        size = int(match.group(1), 16)
        total += size
        if total > LIMITS.body_bytes:
            message = (
                f'The chunk size "{shown(match.group(1))}" brings the body to {total} bytes, more than the '
                f"sandbox's limit of {LIMITS.body_bytes}. A real server stops reading there and answers "
                "413 Content Too Large. Send a smaller body."
            )
            return _failed(newline + 1, data, Finding("body-too-large", position, message))
        position = newline + 1
        if size == 0:
            return _scan_trailer(buffer, position, data)
        data_end = position + size
        if len(buffer) < data_end + 2:
            return ChunkScan(None, b"".join(data), pending=(match.group(1), position))
        if buffer[data_end : data_end + 2] != b"\r\n":
            finding = _data_not_followed_by_crlf(buffer, match.group(1), position, size)
            return _failed(data_end + 2, data, finding)
        data.append(buffer[position:data_end])
        position = data_end + 2


def _failed(end: int, data: list[bytes], finding: Finding) -> ChunkScan:
    return ChunkScan(end, b"".join(data), (finding,))


def _bad_size_line(line: bytes, position: int) -> Finding:
    content = line.rstrip(b"\r\n")
    repair = "Write each chunk as its size in hexadecimal, CRLF, the data, CRLF, and end the body with 0 and an empty line."
    if not line.endswith(b"\r\n") and CHUNK_SIZE_LINE.fullmatch(content + b"\r\n"):
        message = (
            f'The chunk size line "{shown(content)}" ends with LF alone. Inside a chunked body the sandbox, '
            "like h11, needs CRLF after every size line and every chunk, so it answers 400. End the line with CRLF."
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
