"""The common case at once: a head with nothing wrong in any of its lines.

Most requests are well-formed: a request line of a known method, a path and
HTTP/1.x, field lines of a token, a colon and a plain value, all ending with
CRLF. `read_clean_head()` recognises such a head with one regular expression
and builds the layout and the head report that `scan_head()` and
`lint_head()` would build, without judging each line word by word. The
fields are still judged together (Host, framing, repeats): the simple,
faultless cases here, anything else by `lint_field_semantics()` itself.

Anything it does not recognise, it leaves to the full linter (it returns
None), so it can only ever agree with it; tests/sandbox/test_fast_paths.py
checks that it does.
"""

import re

from .layout import COMPLETE, HeadLayout, Line
from .limits import LIMITS
from .lint import HeadReport
from .lint_body_framing import BODY_MEANINGLESS, DIGITS, Framing
from .lint_fields import HOST_VALUE, Field, lint_field_semantics
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
    line_end = buffer.index(b"\r", 0, head.end())
    section_start = line_end + 2
    # The limits fall where scan_head() puts them: the request line's LF
    # within the first request_line_bytes, the head's end within
    # header_section_bytes after it.
    if line_end + 1 >= LIMITS.request_line_bytes:
        return None
    if head.end() > section_start + LIMITS.header_section_bytes:
        return None
    lines, fields = [], []
    for match in CLEAN_FIELD_LINE.finditer(buffer, section_start, head.end() - 2):
        line = Line(match.start(), match.end() - 2, match.end())
        lines.append(line)
        fields.append(Field(match.group(1), match.group(2), line, match.start(2)))
    method = head.group(1)
    facts = RequestLineFacts(method, "1.1" if head.group(2) == b"1" else "1.0")
    framing = _plain_framing(method, facts.version, fields, len(lines))
    if framing is None:
        findings, framing = lint_field_semantics(buffer, facts, fields, lines, head.end() - 2)
    else:
        findings = []
    layout = HeadLayout(
        COMPLETE, 0, Line(0, line_end, section_start), tuple(lines), head_end=head.end()
    )
    return layout, HeadReport([], findings, facts, fields, framing)


def _plain_framing(method: bytes, version: str, fields: list[Field], count: int) -> Framing | None:
    """How the body is framed when the fields together are faultless in the
    plainest way: one valid Host (or none in HTTP/1.0), no field twice, no
    Transfer-Encoding, at most one plain Content-Length within the limit, and
    no body on a method that gives it no meaning. None for anything else."""
    if count > LIMITS.header_fields:
        return None
    keys = [field.name.lower() for field in fields]
    if len(set(keys)) != count or b"transfer-encoding" in keys:
        return None
    if b"host" in keys:
        if not HOST_VALUE.fullmatch(fields[keys.index(b"host")].value):
            return None
    elif version == "1.1":
        return None
    if b"content-length" not in keys:
        return NO_FRAMING
    value = fields[keys.index(b"content-length")].value
    if not DIGITS.fullmatch(value) or int(value) > LIMITS.body_bytes:
        return None
    if method in BODY_MEANINGLESS and int(value) > 0:
        return None
    return Framing(content_length=int(value))
