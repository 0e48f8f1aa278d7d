"""The common case at once: a head with nothing wrong in any of its lines.

Most requests are well-formed: a request line of a known method, a path and
HTTP/1.x, field lines of a token, a colon and a plain value, all ending with
CRLF. `read_clean_head()` recognises such a head with one regular expression
and builds the layout and the head report that `scan_head()` and
`lint_head()` would build, without judging each line word by word. The
fields are still judged together (Host, framing, repeats): the simple,
faultless cases here, anything else by `lint_field_semantics()` itself.
The per-line records (`Line`, `Field`) are only made if something asks for
them: a plain head is judged from its names and values alone, and most
requests are answered without a second look at their lines.

Anything it does not recognise, it leaves to the full linter (it returns
None), so it can only ever agree with it; tests/sandbox/test_fast_paths.py
checks that it does.
"""

import re
from collections.abc import Sequence

from .authority import valid_host
from .layout import COMPLETE, Field, HeadLayout, Line
from .limits import LIMITS
from .lint import HeadReport
from .lint_body_framing import BODY_MEANINGLESS, DIGITS, Framing
from .lint_fields import lint_field_semantics
from .lint_request_line import RequestLineFacts

_FIELD_LINE = (
    rb"([-!#$%&'*+.^_`|~0-9A-Za-z]+):[ \t]*"
    rb"((?:[\x21-\x7e](?:[\x20-\x7e\t]*[\x21-\x7e])?)?)[ \t]*\r\n"
)
CLEAN_HEAD = re.compile(
    rb"(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE) "
    rb"/(?:[\x21\x22\x24\x26-\x7e]|%[0-9A-Fa-f]{2})* HTTP/1\.([01])\r\n"
    rb"(?:" + _FIELD_LINE + rb")*\r\n"
)
CLEAN_FIELD_LINE = re.compile(_FIELD_LINE)
NO_FRAMING = Framing()


def read_clean_head(buffer: bytes) -> tuple[HeadLayout, HeadReport] | None:
    """The layout and report of the head that starts `buffer`, or None if
    it is not a clean one (or not complete yet)."""
    # Every line of a clean head ends with CRLF, so it ends at the first empty
    # line; looking for that first keeps an unfinished head from costing a
    # regular-expression match on every read.
    blank = buffer.find(b"\r\n\r\n")
    if blank == -1:
        return None
    head = CLEAN_HEAD.fullmatch(buffer, 0, blank + 4)
    if head is None:
        return None
    line_end = head.end(2)
    section_start, head_end = line_end + 2, blank + 4
    # The limits fall where scan_head() puts them: the request line's LF
    # within the first request_line_bytes, the head's end within
    # header_section_bytes after it.
    if line_end + 1 >= LIMITS.request_line_bytes:
        return None
    if head_end > section_start + LIMITS.header_section_bytes:
        return None
    method = head.group(1)
    facts = RequestLineFacts(method, "1.1" if head.group(2) == b"1" else "1.0")
    records = _FieldRecords(buffer, section_start, blank + 2)
    framing = _plain_framing(
        method, facts.version, CLEAN_FIELD_LINE.findall(buffer, section_start, blank + 2)
    )
    if framing is None:
        findings, framing = lint_field_semantics(
            buffer, facts, records.fields, records.lines, blank + 2
        )
    else:
        findings = []
    layout = HeadLayout(COMPLETE, 0, Line(0, line_end, section_start), records.lines, head_end)
    return layout, HeadReport([], findings, facts, records.fields, framing)


def _plain_framing(method: bytes, version: str, pairs: list[tuple[bytes, bytes]]) -> Framing | None:
    """How the body is framed when the fields together are faultless in the
    plainest way: one valid, non-empty Host (or none in HTTP/1.0), no field
    twice, no Transfer-Encoding, no Expect but 100-continue, at most one
    plain Content-Length within the limit, and no body on a method that
    gives it no meaning. None for anything else."""
    if len(pairs) > LIMITS.header_fields:
        return None
    values = {name.lower(): value for name, value in pairs}
    if len(values) != len(pairs) or b"transfer-encoding" in values:
        return None
    host = values.get(b"host")
    if host is not None:
        if not host or not valid_host(host):  # an empty Host earns a warning
            return None
    elif version == "1.1":
        return None
    expect = values.get(b"expect")
    if expect is not None and expect.lower() != b"100-continue":
        return None
    value = values.get(b"content-length")
    if value is None:
        return NO_FRAMING
    if not DIGITS.fullmatch(value) or int(value) > LIMITS.body_bytes:
        return None
    if method in BODY_MEANINGLESS and int(value) > 0:
        return None
    return Framing(content_length=int(value))


class _FieldRecords:
    """The Line and Field records of a clean head's field lines, made on
    first use. Judging a plain head needs only the names and values, and
    most requests are answered without looking at these records again."""

    __slots__ = ("buffer", "start", "stop", "built")

    def __init__(self, buffer: bytes, start: int, stop: int):
        self.buffer, self.start, self.stop, self.built = buffer, start, stop, None

    @property
    def lines(self) -> "_Deferred":
        return _Deferred(self, 0)

    @property
    def fields(self) -> "_Deferred":
        return _Deferred(self, 1)

    def build(self) -> tuple[tuple[Line, ...], list[Field]]:
        if self.built is None:
            lines, fields = [], []
            for match in CLEAN_FIELD_LINE.finditer(self.buffer, self.start, self.stop):
                line = Line(match.start(), match.end() - 2, match.end())
                lines.append(line)
                fields.append(Field(match.group(1), match.group(2), line, match.start(2)))
            self.built = (tuple(lines), fields)
        return self.built


class _Deferred(Sequence):
    """A read-only sequence of the lines (part 0) or fields (part 1) of a
    `_FieldRecords`, equal to the tuple or list it stands for."""

    __slots__ = ("records", "part")

    def __init__(self, records: _FieldRecords, part: int):
        self.records, self.part = records, part

    def _items(self):
        return self.records.build()[self.part]

    def __getitem__(self, index):
        return self._items()[index]

    def __len__(self) -> int:
        return len(self._items())

    def __iter__(self):
        return iter(self._items())

    def __eq__(self, other) -> bool:
        return self._items() == (other._items() if isinstance(other, _Deferred) else other)

    def __hash__(self) -> int:
        return hash(tuple(self._items()))

    def __repr__(self) -> str:
        return repr(self._items())
