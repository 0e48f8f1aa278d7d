"""The shortcuts taken for speed say exactly what the long way says: a clean
head, request line or field line, matched at once, gets the layout, findings
and facts the line-by-line judgement gives it; pretty_json() writes
json.dumps's text; shown() shows what the plain character loop showed;
parse_request() takes a counted body as h11 would have handed it over."""

import json

import h11
from hypothesis import example, given
from hypothesis import strategies as st

from challenges.sandbox.clean_head import read_clean_head
from challenges.sandbox.diagnostics import shown
from challenges.sandbox.jsontext import pretty_json
from challenges.sandbox.layout import Line, scan_head
from challenges.sandbox.lint import lint_head
from challenges.sandbox.lint_fields import (
    CLEAN_FIELD_LINE,
    Field,
    _judge_field_line,
    _looks_like_body,
)
from challenges.sandbox.lint_request_line import (
    CLEAN_LINE,
    RequestLineFacts,
    _judge_request_line,
)
from challenges.sandbox.parse import ParserRejection, parse_request

from .streams import mutated, streams

# Bytes that sit on the edges of the shortcuts' character classes.
EDGES = b" \t\r\x00\x1f\x7f\x80\xff#%/:;,=&{[<\"'*?AFfgz09-_.~HTPGE"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "get"]


def edgy(max_size: int):
    """Bytes near the edges of the shortcuts, or mostly ordinary ones."""
    ordinary = st.lists(st.integers(0x21, 0x7E), max_size=max_size).map(bytes)
    return st.lists(st.sampled_from(EDGES), max_size=max_size).map(bytes) | ordinary


@st.composite
def request_lines(draw) -> bytes:
    """Mostly well-formed request lines, a few details off."""
    method = draw(st.sampled_from(METHODS)).encode()
    target = draw(st.sampled_from([b"/", b"/books", b"/b?q=1", b"*", b"http://x/"])) + draw(edgy(8))
    space = b" " if draw(st.booleans()) else draw(st.sampled_from([b"  ", b"\t", b" \t"]))
    version = b"HTTP/1.1"
    if draw(st.booleans()):
        version = draw(st.sampled_from([b"HTTP/1.0", b"HTTP/1.2", b"HTTP/2", b"http/1.1", b""]))
    return method + space + target + b" " + version


@st.composite
def field_lines(draw) -> bytes:
    name = draw(st.sampled_from([b"Host", b"X-A", b"a&b", b"Content Type", b""])) + draw(edgy(3))
    return name + draw(st.sampled_from([b":", b": ", b" :", b":\t"])) + draw(edgy(16))


@given(request_lines())
@example(b"GET /a%2Fb HTTP/1.1")
@example(b"GET /a%2 HTTP/1.1")
@example(b"GET /#top HTTP/1.1")
def test_a_clean_request_line_gets_what_the_long_way_gives(content: bytes):
    buffer = b"\r\n" + content + b"\r\n"
    line = Line(2, 2 + len(content), 4 + len(content))
    clean = CLEAN_LINE.fullmatch(buffer, line.start, line.end)
    if clean:
        version = "1.1" if clean.group(3) == b"1" else "1.0"
        assert _judge_request_line(buffer, line) == ([], RequestLineFacts(clean.group(1), version))


@given(field_lines() | edgy(20))
@example(b"X:   ")
@example(b"X: a \t b \t")
@example(b"a=b:c&d=e")
def test_a_clean_field_line_gets_what_the_long_way_gives(content: bytes):
    buffer = b"GET / HTTP/1.1\r\n" + content + b"\r\n"
    line = Line(16, 16 + len(content), 18 + len(content))
    clean = CLEAN_FIELD_LINE.fullmatch(buffer, line.start, line.end)
    if clean:
        assert content[:1] not in (b" ", b"\t") and not _looks_like_body(content)
        field = Field(clean.group(1), clean.group(2), line, clean.start(2))
        assert _judge_field_line(content, line) == (field, [])


JSON_DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(JSON_DOCUMENTS)
@example({1: "int key", "b": [{}, [], {"c": None}]})
@example({"nan": float("nan"), "inf": [float("inf"), float("-inf")], "big": 2**80})
@example('é \u2028 \x00 "quoted" \\ \ud800')
def test_pretty_json_writes_what_json_dumps_writes(document):
    assert pretty_json(document) == json.dumps(document, indent=2, ensure_ascii=False)


FIELD_NAMES = ["Host", "host", "Content-Length", "Transfer-Encoding", "Accept", "Range", "X-A"]
FIELD_VALUES = ["sandbox.localhost", "x:80", "a b", "0", "12", "99999", "1,1", "chunked", "", "é"]


@st.composite
def heads(draw) -> bytes:
    """Heads that are mostly clean line by line, with fields that may clash."""
    method = draw(st.sampled_from(["GET", "POST", "DELETE", "HEAD", "get"]))
    target = draw(st.sampled_from(["/", "/books/1", "/a%20b?x=1", "/#f"]))
    version = draw(st.sampled_from(["HTTP/1.1", "HTTP/1.1", "HTTP/1.0"]))
    lines = [f"{method} {target} {version}"]
    if draw(st.booleans()):
        lines.append("Host: sandbox.localhost")
    for _ in range(draw(st.integers(0, 3))):
        name, value = draw(st.sampled_from(FIELD_NAMES)), draw(st.sampled_from(FIELD_VALUES))
        lines.append(f"{name}:{draw(st.sampled_from([' ', '', '  ', chr(9)]))}{value}")
    body = draw(st.sampled_from([b"", b"hello", b"0\r\n\r\n"]))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@given(heads() | mutated() | streams())
def test_a_clean_head_gets_what_the_full_linter_gives(raw: bytes):
    clean = read_clean_head(raw)
    if clean is not None:
        layout = scan_head(raw)
        assert clean == (layout, lint_head(raw, layout))


def _shown_the_long_way(raw: bytes, limit: int) -> str:
    escapes = {"\t": "\\t", "\r": "\\r", "\n": "\\n"}
    visible = ""
    for char in raw.decode("utf-8", "backslashreplace"):
        if char in escapes:
            visible += escapes[char]
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            visible += f"\\x{ord(char):02x}"
        else:
            visible += char
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


@given(st.binary(max_size=80) | edgy(60), st.integers(1, 50))
def test_shown_escapes_and_shortens_as_a_character_loop_would(raw: bytes, limit: int):
    assert shown(raw, limit) == _shown_the_long_way(raw, limit)


def _parsed_event_by_event(raw: bytes):
    """What h11 makes of `raw` when every event is read, body included."""
    connection = h11.Connection(h11.SERVER, max_incomplete_event_size=len(raw) + 1)
    connection.receive_data(raw)
    events = []
    try:
        while True:
            event = connection.next_event()
            if type(event) not in (h11.Request, h11.Data, h11.EndOfMessage):
                return None  # NEED_DATA, PAUSED, or ConnectionClosed for empty input
            events.append(event)
            if type(event) is h11.EndOfMessage:
                break
    except h11.RemoteProtocolError as error:
        return str(error)
    head, body = events[0], b"".join(event.data for event in events if type(event) is h11.Data)
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in head.headers.raw_items()
    ]
    return head.method.decode(), head.target.decode(), headers, body


@given(heads() | mutated() | streams())
@example(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
@example(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel")
@example(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello, world")
@example(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
@example(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n\r\n")
def test_parse_request_reads_what_h11_reads_event_by_event(raw: bytes):
    expected = _parsed_event_by_event(raw)
    parsed = parse_request(raw)
    if isinstance(expected, tuple):
        assert not isinstance(parsed, ParserRejection)
        assert (parsed.method, parsed.target, parsed.headers, parsed.body) == expected
    else:
        assert isinstance(parsed, ParserRejection)
        if expected is not None:
            assert parsed.reason == expected
