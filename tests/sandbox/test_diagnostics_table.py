"""Raw bytes in, statuses and located diagnostics out: one row per mistake,
and at least one row for every code the linter can emit."""

from typing import NamedTuple

import pytest

from challenges.sandbox import DIAGNOSTIC_CODES, fresh_state

from .support import crlf, located_codes, run, statuses
from .test_closed_early import ROWS as ROWS_AFTER_PROCESS

GET_ROOT = crlf("GET / HTTP/1.1\nHost: x\n\n")


class Row(NamedTuple):
    raw: bytes
    statuses: list[int]
    diagnostics: list[tuple[str, int, int]]
    state: dict | None = None


def _big_post(body_size: int) -> bytes:
    body = b"a" * (body_size - 2) + b"\r\n"
    return crlf(f"POST /echo HTTP/1.1\nHost: x\nContent-Length: {body_size}\n\n") + body


def _broken_state() -> dict:
    state = fresh_state()
    state["books"] = "not a list of books"
    return state


ROWS = {
    # The input as a whole, and the connection.
    "empty": Row(b"", [], [("empty-input", 1, 1)]),
    "only-empty-lines": Row(b"\r\n\r\n", [], [("empty-input", 1, 1)]),
    "input-too-large": Row(_big_post(30000) * 3, [200, 200, 400], [("input-too-large", 11, 1)]),
    "pipeline-too-long": Row(GET_ROOT * 11, [200] * 10 + [400], [("pipeline-too-long", 31, 1)]),
    "ignored-after-close": Row(
        crlf("GET / HTTP/1.1\nHost: x\nConnection: close\n\nGET / HTTP/1.1\nHost: x\n\n"),
        [200],
        [("ignored-after-close", 5, 1)],
    ),
    "ignored-after-a-broken-line": Row(
        crlf("GET / HTTP/1.1\nHost : x\nAccept: */*\n\n") + GET_ROOT,
        [400],
        [("space-before-colon", 2, 5), ("ignored-after-close", 5, 1)],
    ),
    "ignored-after-http10": Row(
        crlf("GET / HTTP/1.0\n\nGET / HTTP/1.0\n\n"), [200], [("ignored-after-close", 3, 1)]
    ),
    # Lines and the shape of the head.
    "bare-lf": Row(b"GET / HTTP/1.1\nHost: x\n\n", [200], [("bare-lf", 1, 15)]),
    "bare-lf-on-blank-line-only": Row(
        b"GET / HTTP/1.1\r\nHost: x\r\n\n", [200], [("bare-lf", 3, 1)]
    ),
    "bare-cr": Row(crlf("GET / HTTP/1.1\nHost: x\nX-Note: a\rb\n\n"), [400], [("bare-cr", 3, 10)]),
    "leading-empty-lines": Row(b"\r\n\r\n" + GET_ROOT, [200], [("leading-empty-lines", 1, 1)]),
    "unterminated-head": Row(
        crlf("GET / HTTP/1.1\nHost: x\n"), [408], [("unterminated-head", 3, 1)]
    ),
    "unterminated-last-line": Row(
        crlf("GET / HTTP/1.1\nHost: x"), [408], [("unterminated-head", 2, 8)]
    ),
    "body-without-blank-line": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 2\n{}\n\n"),
        [400],
        [("body-without-blank-line", 4, 1)],
    ),
    "form-body-without-blank-line": Row(
        crlf("POST /login HTTP/1.1\nHost: x\nusername=ada&password=lovelace"),
        [400],
        [("body-without-blank-line", 3, 1)],
    ),
    # The request line.
    "request-line-too-long": Row(
        b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        [414],
        [("request-line-too-long", 1, 1)],
    ),
    "connect-to-origin": Row(
        crlf("CONNECT sandbox.localhost:443 HTTP/1.1\nHost: sandbox.localhost:443\n\n"),
        [405],
        [("connect-to-origin", 1, 1)],
    ),
    "tls-handshake": Row(
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", [400], [("malformed-request-line", 1, 1)]
    ),
    "not-a-request-line": Row(crlf("hello\n\n"), [400], [("malformed-request-line", 1, 1)]),
    "no-target": Row(crlf("GET HTTP/1.1\nHost: x\n\n"), [400], [("malformed-request-line", 1, 1)]),
    "extra-spaces": Row(
        crlf("GET  / HTTP/1.1\nHost: x\n\n"), [400], [("extra-whitespace-in-request-line", 1, 4)]
    ),
    "trailing-space": Row(
        crlf("GET / HTTP/1.1 \nHost: x\n\n"), [400], [("extra-whitespace-in-request-line", 1, 15)]
    ),
    "tab-separator": Row(
        crlf("GET\t/ HTTP/1.1\nHost: x\n\n"), [400], [("extra-whitespace-in-request-line", 1, 4)]
    ),
    "non-ascii-target": Row(
        crlf("GET /café HTTP/1.1\nHost: x\n\n"), [400], [("non-ascii-in-request-line", 1, 9)]
    ),
    "lowercase-method": Row(
        crlf("get / HTTP/1.1\nHost: x\n\n"), [501], [("lowercase-method", 1, 1)]
    ),
    "unknown-method": Row(crlf("FETCH / HTTP/1.1\nHost: x\n\n"), [501], [("unknown-method", 1, 1)]),
    "target-without-slash": Row(
        crlf("GET books HTTP/1.1\nHost: x\n\n"), [400], [("bad-request-target", 1, 5)]
    ),
    "target-with-host": Row(
        crlf("GET example.com/books HTTP/1.1\nHost: x\n\n"), [400], [("bad-request-target", 1, 5)]
    ),
    "space-in-target": Row(
        crlf("GET /my books HTTP/1.1\nHost: x\n\n"), [400], [("bad-request-target", 1, 9)]
    ),
    "asterisk-on-get": Row(
        crlf("GET * HTTP/1.1\nHost: x\n\n"), [400], [("bad-request-target", 1, 5)]
    ),
    "bad-percent": Row(
        crlf("GET /books%zz HTTP/1.1\nHost: x\n\n"), [400], [("bad-request-target", 1, 5)]
    ),
    "fragment": Row(
        crlf("GET /books#top HTTP/1.1\nHost: x\n\n"), [200], [("fragment-in-target", 1, 11)]
    ),
    "missing-version": Row(crlf("GET /\nHost: x\n\n"), [400], [("missing-http-version", 1, 6)]),
    "lowercase-version": Row(
        crlf("GET / http/1.1\nHost: x\n\n"), [400], [("malformed-http-version", 1, 7)]
    ),
    "version-without-minor": Row(
        crlf("GET / HTTP/1\nHost: x\n\n"), [400], [("malformed-http-version", 1, 7)]
    ),
    "http2": Row(crlf("GET / HTTP/2\nHost: x\n\n"), [505], [("http2-request-line", 1, 7)]),
    "http3": Row(crlf("GET / HTTP/3.0\nHost: x\n\n"), [505], [("http2-request-line", 1, 7)]),
    "http2-preface": Row(
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        [505],
        [("http2-request-line", 1, 7), ("ignored-after-close", 3, 1)],
    ),
    "http09": Row(crlf("GET / HTTP/0.9\nHost: x\n\n"), [505], [("unsupported-http-version", 1, 7)]),
    "http12": Row(crlf("GET / HTTP/1.2\nHost: x\n\n"), [200], [("newer-minor-version", 1, 7)]),
    # Field lines.
    "space-before-colon": Row(
        crlf("GET / HTTP/1.1\nHost : x\n\n"), [400], [("space-before-colon", 2, 5)]
    ),
    "missing-colon": Row(
        crlf("GET / HTTP/1.1\nHost: x\nAccept application/json\n\n"),
        [400],
        [("missing-colon", 3, 1)],
    ),
    "empty-header-name": Row(
        crlf("GET / HTTP/1.1\nHost: x\n: value\n\n"), [400], [("empty-header-name", 3, 1)]
    ),
    "invalid-header-name": Row(
        crlf("GET / HTTP/1.1\nHost: x\nContent Type: text/plain\n\n"),
        [400],
        [("invalid-header-name", 3, 8)],
    ),
    "control-in-value": Row(
        crlf("GET / HTTP/1.1\nHost: x\nX-Note: a\x00b\n\n"),
        [400],
        [("invalid-header-value", 3, 10)],
    ),
    "non-ascii-value": Row(
        crlf("GET / HTTP/1.1\nHost: x\nX-Note: café\n\n"),
        [200],
        [("non-ascii-in-header-value", 3, 12)],
    ),
    "obs-fold": Row(
        crlf("GET / HTTP/1.1\nHost: x\nX-Note: a\n  b\n\n"), [400], [("obs-fold", 4, 1)]
    ),
    "space-after-request-line": Row(
        crlf("GET / HTTP/1.1\n Host: x\n\n"), [400], [("whitespace-before-first-field", 2, 1)]
    ),
    "header-section-too-large": Row(
        crlf("GET / HTTP/1.1\nHost: x\nX-Big: ") + b"a" * 17000 + b"\r\n\r\n",
        [431],
        [("header-section-too-large", 2, 1)],
    ),
    "too-many-fields": Row(
        crlf("GET / HTTP/1.1\nHost: x\n" + "".join(f"X-F{i}: v\n" for i in range(101)) + "\n"),
        [431],
        [("too-many-header-fields", 102, 1)],
    ),
    "duplicate-field": Row(
        crlf("GET / HTTP/1.1\nHost: x\nAccept: */*\nUser-Agent: a\nuser-agent: b\n\n"),
        [200],
        [("duplicate-field", 5, 1)],
    ),
    "missing-host": Row(crlf("GET / HTTP/1.1\n\n"), [400], [("missing-host", 2, 1)]),
    "duplicate-host": Row(
        crlf("GET / HTTP/1.1\nHost: a\nHost: b\n\n"), [400], [("duplicate-host", 3, 1)]
    ),
    "empty-host": Row(crlf("GET / HTTP/1.1\nHost:\n\n"), [200], [("empty-host", 2, 6)]),
    "unknown-expectation": Row(
        crlf("GET / HTTP/1.1\nHost: x\nExpect: 100-continue, fast\n\n"),
        [417],
        [("unsupported-expectation", 3, 23)],
    ),
    "url-as-host": Row(
        crlf("GET / HTTP/1.1\nHost: http://example.com/\n\n"), [400], [("invalid-host", 2, 7)]
    ),
    # A stray bracket once made urlsplit() raise ValueError (issue 11).
    "host-open-bracket-and-slash": Row(
        crlf("GET / HTTP/1.1\nHost: [/\n\n"), [400], [("invalid-host", 2, 7)]
    ),
    "host-bracket-inside-a-path": Row(
        crlf("GET / HTTP/1.1\nHost: a[b/c\n\n"), [400], [("invalid-host", 2, 7)]
    ),
    "host-bracketed-word-and-slash": Row(
        crlf("GET / HTTP/1.1\nHost: [x]/\n\n"), [400], [("invalid-host", 2, 7)]
    ),
    "host-bracketed-word": Row(
        crlf("GET / HTTP/1.1\nHost: [x]\n\n"), [400], [("invalid-host", 2, 7)]
    ),
    "host-with-user-info": Row(
        crlf("GET / HTTP/1.1\nHost: ada@sandbox.localhost\n\n"), [400], [("invalid-host", 2, 7)]
    ),
    "host-ipv6-literal": Row(crlf("GET / HTTP/1.1\nHost: [::1]:8080\n\n"), [200], []),
    "absolute-target-with-a-stray-bracket": Row(
        crlf("GET http://[::1/books HTTP/1.1\nHost: x\n\n"), [400], [("bad-request-target", 1, 5)]
    ),
    # Body framing.
    "content-length-word": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: abc\n\n"),
        [400],
        [("invalid-content-length", 3, 17)],
    ),
    "content-length-negative": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: -5\n\n"),
        [400],
        [("negative-content-length", 3, 17)],
    ),
    "content-length-conflict": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 2\nContent-Length: 3\n\n{}"),
        [400],
        [("conflicting-content-length", 4, 17), ("ignored-after-close", 6, 1)],
    ),
    "content-length-repeated": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 2\nContent-Length: 2\n\n{}"),
        [200],
        [("repeated-content-length", 4, 17)],
    ),
    "cl-and-te": Row(
        crlf(
            "POST /echo HTTP/1.1\nHost: x\nContent-Length: 5\nTransfer-Encoding: chunked\n\n0\n\n"
        ),
        [400],
        [("content-length-and-transfer-encoding", 4, 1), ("ignored-after-close", 6, 1)],
    ),
    "te-in-http10": Row(
        crlf("POST /echo HTTP/1.0\nTransfer-Encoding: chunked\n\n0\n\n"),
        [400],
        [("transfer-encoding-in-http10", 2, 1), ("ignored-after-close", 4, 1)],
    ),
    "te-gzip-alone": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: gzip\n\n"),
        [400],
        [("invalid-transfer-encoding", 3, 20)],
    ),
    "te-gzip-then-chunked": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: gzip, chunked\n\n0\n\n"),
        [501],
        [("unknown-transfer-coding", 3, 20), ("ignored-after-close", 5, 1)],
    ),
    "te-chunked-not-last": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked, gzip\n\n"),
        [400],
        [("invalid-transfer-encoding", 3, 20)],
    ),
    "chunk-size-not-hex": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\nzz\n"),
        [400],
        [("bad-chunked-encoding", 5, 1)],
    ),
    "chunk-extension-after-whitespace": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n3 ;a=b\nabc\n0\n\n"),
        [200],
        [("chunk-extension", 5, 2)],
    ),
    "chunk-size-in-decimal": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n10\n0123456789\n0\n\n")
        + GET_ROOT,
        [400],
        [("bad-chunked-encoding", 8, 2), ("ignored-after-close", 9, 2)],
    ),
    "chunk-size-in-decimal-at-the-end": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n10\n0123456789\n0\n\n"),
        [408],
        [("incomplete-chunked-body", 9, 1)],
    ),
    "chunked-incomplete": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n5\nhello\n"),
        [408],
        [("incomplete-chunked-body", 7, 1)],
    ),
    "content-length-too-big-for-body": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 10\n\n{}"),
        [408],
        [("content-length-longer-than-body", 3, 17)],
    ),
    "content-length-too-small-for-body": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 1\n\n{}"),
        [200, 400],
        [("content-length-shorter-than-body", 5, 2), ("malformed-request-line", 5, 2)],
    ),
    "body-without-length": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\n\nhello"),
        [200, 400],
        [("body-without-length", 4, 1), ("malformed-request-line", 4, 1)],
    ),
    "garbage-after-chunked-body": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n0\n\njunk"),
        [200, 400],
        [("trailing-garbage", 7, 1), ("malformed-request-line", 7, 1)],
    ),
    "body-too-large": Row(
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 40000\n\n"),
        [413],
        [("body-too-large", 3, 17)],
    ),
    "body-on-get": Row(
        crlf("GET /echo HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}"), [200], [("body-on-get", 3, 1)]
    ),
    # When something other than the linter had the last word.
    "h11-refuses-two-te-lines": Row(
        crlf(
            "POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nTransfer-Encoding:\n\n0\n\n"
        ),
        [501],
        [("parser-rejected", 1, 1)],
    ),
    "sandbox-bug": Row(
        crlf("GET /books HTTP/1.1\nHost: x\n\n"), [500], [("internal-error", 1, 1)], _broken_state()
    ),
}


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_raw_request_gets_statuses_and_diagnostics(row: Row):
    outcome = run(row.raw, row.state)
    assert statuses(outcome) == row.statuses
    assert located_codes(outcome) == row.diagnostics


def test_every_diagnostic_code_has_a_row():
    tabled = {code for row in ROWS.values() for code, _, _ in row.diagnostics}
    tabled |= set(ROWS_AFTER_PROCESS)  # codes of the steps after process(), tabled there
    assert set(DIAGNOSTIC_CODES) - tabled == set()


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_error_responses_close_the_connection(row: Row):
    outcome = run(row.raw, row.state)
    for exchange in outcome.exchanges:
        if any(d.severity == "error" for d in exchange.diagnostics):
            assert exchange.response.header("Connection") == "close"
            assert exchange.closes_connection


def test_diagnostic_registry_is_complete_and_sourced():
    for code, (severity, rfc, title) in DIAGNOSTIC_CODES.items():
        assert code == code.lower() and " " not in code
        assert severity in ("error", "warning")
        assert rfc.startswith("RFC ") and "§" in rfc
        assert title and not title.endswith(".")
    assert len(DIAGNOSTIC_CODES) >= 25


# Each finding once, the cause first, follow-ons folded under it (issue 10).
FOLDED = {
    "content-length-too-small-for-body": (
        ROWS["content-length-too-small-for-body"].raw,
        "content-length-shorter-than-body",
        ["malformed-request-line"],
    ),
    "body-without-length": (
        ROWS["body-without-length"].raw,
        "body-without-length",
        ["malformed-request-line"],
    ),
    "garbage-after-chunked-body": (
        ROWS["garbage-after-chunked-body"].raw,
        "trailing-garbage",
        ["malformed-request-line"],
    ),
    "host-line-without-colon": (
        crlf("GET / HTTP/1.1\nHost x\n\n"),
        "missing-colon",
        ["missing-host"],
    ),
    "bytes-after-an-error": (
        ROWS["ignored-after-a-broken-line"].raw,
        "space-before-colon",
        ["ignored-after-close"],
    ),
}


@pytest.mark.parametrize("raw, root_code, follow_on_codes", FOLDED.values(), ids=FOLDED.keys())
def test_follow_ons_are_folded_under_their_cause(raw, root_code, follow_on_codes):
    outcome = run(raw)
    codes = [d.code for d in outcome.diagnostics]
    assert len(codes) == len(set(codes)), "each finding is reported once"
    roots = [d for d in outcome.diagnostics if d.caused_by is None]
    (root,) = [d for d in roots if d.code == root_code]
    assert [d.code for d in root.follow_ons] == follow_on_codes
    for follow_on in root.follow_ons:
        assert follow_on.caused_by == root_code
        assert follow_on in outcome.diagnostics
        assert outcome.diagnostics.index(root) < outcome.diagnostics.index(follow_on)
    assert root.to_dict()["follow_ons"] == [d.to_dict() for d in root.follow_ons]


def test_a_folded_follow_on_does_not_repeat_its_cause():
    outcome = run(crlf("GET / HTTP/1.1\nHost x\n\n"))
    missing = next(d for d in outcome.diagnostics if d.code == "missing-host")
    assert missing.message.startswith("Because the Host line above could not be read")
    shorter = run(ROWS["content-length-too-small-for-body"].raw)
    follow_on = next(d for d in shorter.diagnostics if d.code == "malformed-request-line")
    assert follow_on.message.startswith('Because of that, the server read "}"')


def test_a_diagnostic_with_follow_ons_survives_a_round_trip_through_json():
    from challenges.sandbox import Diagnostic

    root = next(d for d in run(crlf("GET / HTTP/1.1\nHost x\n\n")).diagnostics if d.follow_ons)
    assert Diagnostic.from_dict(root.to_dict()) == root


FOUR_MISTAKES = crlf(
    "post /books HTTP/1.1\nHost: sandbox.localhost\nContent-Type : application/json\n"
    'Content-Length: 67\n{"title":"North and South","author":"Elizabeth Gaskell","year":1855}\n'
)


def test_independent_errors_are_all_reported_in_one_pass():
    """The starter of anatomy-four-mistakes: a server stops at the first error (the
    response answers that one), but the linter names every mistake it can see."""
    outcome = run(FOUR_MISTAKES)
    assert statuses(outcome) == [501]
    assert located_codes(outcome) == [
        ("lowercase-method", 1, 1),
        ("space-before-colon", 3, 13),
        ("body-without-blank-line", 5, 1),
    ]
    assert all(d.caused_by is None for d in outcome.diagnostics)
    # The response is the one a server sends for the first error alone.
    first_line_only = run(crlf("post /books HTTP/1.1\n"))
    assert outcome.raw_response == first_line_only.raw_response


def test_every_independent_line_error_is_reported_whatever_the_first():
    outcome = run(crlf("GET / HTTP/1.1\nHost x\nAccept : */*\nX-Ok: 1\n\n"))
    assert statuses(outcome) == [400]
    assert located_codes(outcome) == [
        ("missing-colon", 2, 1),
        ("space-before-colon", 3, 7),
        ("missing-host", 5, 1),
    ]


def test_a_request_that_is_not_one_is_not_linted_further():
    outcome = run(crlf("hello there\nHost x\n\n"))
    assert [d.code for d in outcome.diagnostics] == ["malformed-request-line"]
