"""Where the parts of a request head lie in a buffer, before anything is judged.

`scan_head()` finds the request line and the empty line that ends the head the
same way h11 does (a head ends at the first LF followed by an optional CR and
another LF), and applies the size limits at fixed positions: the request line
must end within the first `request_line_bytes` of the buffer, and the header
section within `header_section_bytes` after the request line. A head that
breaks a limit is "cut" at exactly that position, so a stream fed in pieces is
cut where the whole input would be.
"""

import re
from typing import NamedTuple

from .limits import LIMITS

HEAD_END = re.compile(rb"\n\r?\n")

COMPLETE = "complete"
INCOMPLETE = "incomplete"
REQUEST_LINE_CUT = "request-line-cut"
HEADER_SECTION_CUT = "header-section-cut"


# The records here are NamedTuples rather than frozen dataclasses: every
# request makes several, and a tuple is built several times faster.


class Line(NamedTuple):
    start: int  # first byte of the line
    end: int  # just past the content, before CRLF or LF
    stop: int  # just past the terminator; equal to `end` for an unterminated line

    @property
    def terminated(self) -> bool:
        return self.stop > self.end

    @property
    def bare_lf(self) -> bool:
        return self.stop - self.end == 1


class Field(NamedTuple):
    """A header field as a line of the head holds it. It lives here, beside
    `Line`, because both the field linter and the body-framing linter read
    fields, and neither may import the other."""

    name: bytes
    value: bytes
    line: Line
    value_offset: int

    @property
    def key(self) -> bytes:
        return self.name.lower()


class HeadLayout(NamedTuple):
    status: str
    request_start: int  # after any leading empty lines
    request_line: Line | None = None  # None when the request line was cut
    field_lines: tuple[Line, ...] = ()  # an unterminated last line only when INCOMPLETE
    head_end: int | None = None  # just past the empty line, when COMPLETE
    cut: int | None = None  # where a limit cut the buffer

    @property
    def blank_line_start(self) -> int | None:
        """Offset of the empty line that ends the head."""
        if self.head_end is None:
            return None
        last = self.field_lines[-1] if self.field_lines else self.request_line
        return last.stop if last else None


def skip_empty_lines(buffer: bytes, position: int = 0) -> int:
    """The offset after any empty lines (CRLF or LF) starting at `position`."""
    while True:
        if buffer.startswith(b"\r\n", position):
            position += 2
        elif buffer.startswith(b"\n", position):
            position += 1
        else:
            return position


def split_lines(buffer: bytes, start: int, stop: int) -> list[Line]:
    """The lines of buffer[start:stop]; a last line without LF is unterminated
    (and a CR at its very end is taken as half of a CRLF still to come)."""
    lines = []
    position = start
    while position < stop:
        newline = buffer.find(b"\n", position, stop)
        if newline == -1:
            end = stop - 1 if buffer[stop - 1 : stop] == b"\r" else stop
            lines.append(Line(position, end, end))
            break
        end = newline - 1 if newline > position and buffer[newline - 1] == 0x0D else newline
        lines.append(Line(position, end, newline + 1))
        position = newline + 1
    return lines


def scan_head(buffer: bytes) -> HeadLayout:
    request_start = skip_empty_lines(buffer)
    window_end = LIMITS.request_line_bytes
    newline = buffer.find(b"\n", request_start, window_end)
    if newline == -1:
        if len(buffer) >= window_end:
            return HeadLayout(REQUEST_LINE_CUT, request_start, cut=window_end)
        partial = split_lines(buffer, request_start, len(buffer))
        return HeadLayout(INCOMPLETE, request_start, partial[0] if partial else None)

    request_line = split_lines(buffer, request_start, newline + 1)[0]
    section_start = newline + 1
    section_limit = section_start + LIMITS.header_section_bytes
    match = HEAD_END.search(buffer, newline, section_limit)
    if match:
        fields = split_lines(buffer, section_start, match.start() + 1)
        return HeadLayout(
            COMPLETE, request_start, request_line, tuple(fields), head_end=match.end()
        )
    if len(buffer) >= section_limit:
        last_newline = buffer.rfind(b"\n", section_start, section_limit)
        fields = split_lines(buffer, section_start, last_newline + 1) if last_newline != -1 else []
        return HeadLayout(
            HEADER_SECTION_CUT, request_start, request_line, tuple(fields), cut=section_limit
        )
    fields = split_lines(buffer, section_start, len(buffer))
    return HeadLayout(INCOMPLETE, request_start, request_line, tuple(fields))
