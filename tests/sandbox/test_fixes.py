"""The repair each diagnostic offers, and messages that name what the learner wrote."""

import pytest

from .support import crlf, run

FIXES = {
    "lowercase-method": (crlf("post /books HTTP/1.1\nHost: x\n\n"), "POST /books HTTP/1.1"),
    "unknown-method": (crlf("GTE /books HTTP/1.1\nHost: x\n\n"), "GET /books HTTP/1.1"),
    "missing-host": (crlf("GET / HTTP/1.1\n\n"), "Host: sandbox.localhost"),
    "invalid-host": (
        crlf("GET / HTTP/1.1\nHost: https://shop.example:8080/books\n\n"),
        "Host: shop.example:8080",
    ),
    "obs-fold": (
        crlf("GET / HTTP/1.1\nHost: x\nAccept: text/html,\n text/csv\n\n"),
        "Accept: text/html, text/csv",
    ),
    "space-before-colon": (crlf("GET / HTTP/1.1\nHost\t: x\n\n"), "Host: x"),
    "missing-colon": (crlf("GET / HTTP/1.1\nHost x\n\n"), "Host: x"),
    "bad-request-target": (
        crlf("GET www.example.com/books HTTP/1.1\nHost: x\n\n"),
        "GET /books HTTP/1.1",
    ),
    "malformed-http-version": (crlf("GET / HTTPS/1.1\nHost: x\n\n"), "GET / HTTP/1.1"),
    "http2-request-line": (crlf("GET /books HTTP/2.0\nHost: x\n\n"), "GET /books HTTP/1.1"),
    "missing-http-version": (crlf("GET /books\nHost: x\n\n"), "GET /books HTTP/1.1"),
    "extra-whitespace-in-request-line": (
        crlf("GET   /books\tHTTP/1.1\nHost: x\n\n"),
        "GET /books HTTP/1.1",
    ),
    "non-ascii-in-request-line": (
        crlf("GET /ünï HTTP/1.1\nHost: x\n\n"),
        "GET /%C3%BCn%C3%AF HTTP/1.1",
    ),
    "content-length-longer-than-body": (
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 9\n\nabc"),
        "Content-Length: 3",
    ),
    "content-length-shorter-than-body": (
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 3\n\nabc def\n"),
        "Content-Length: 7",
    ),
    "body-without-length": (
        crlf('POST /echo HTTP/1.1\nHost: x\n\n{"a": 1}\n'),
        "Content-Length: 8",
    ),
    "incomplete-chunked-body": (
        crlf("POST /e HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n1\na\n"),
        "0",
    ),
    "fragment-in-target": (crlf("GET /books#top HTTP/1.1\nHost: x\n\n"), "GET /books HTTP/1.1"),
    "whitespace-before-first-field": (crlf("GET / HTTP/1.1\n  Host: x\n\n"), "Host: x"),
    "empty-host": (crlf("GET / HTTP/1.1\nHost: \n\n"), "Host: sandbox.localhost"),
    "unsupported-expectation": (
        crlf("GET / HTTP/1.1\nHost: x\nExpect: 100-continue, fast\n\n"),
        "Expect: 100-continue",
    ),
    "chunk-extension": (
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n3\t;a=b\nabc\n0\n\n"),
        "3;a=b",
    ),
}


@pytest.mark.parametrize(("raw", "fix"), FIXES.values(), ids=FIXES.keys())
def test_each_diagnostic_offers_its_repair(raw, fix):
    code = [name for name, case in FIXES.items() if case == (raw, fix)][0]
    found = [d for d in run(raw).diagnostics if d.code == code]
    assert found and found[0].fix == fix


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        (
            crlf("GET / HTTP/1.1\nHost: x\nContent-Type : text/plain\n\n"),
            "space-before-colon",
            '"Content-Type"',
        ),
        (
            crlf("DELETE /books/1 HTTPS/1.1\nHost: x\n\n"),
            "malformed-http-version",
            "HTTPS is not a protocol version",
        ),
        (crlf("GET / http/1.1\nHost: x\n\n"), "malformed-http-version", "case-sensitive"),
        (crlf("GET / HTTP/0.9\nHost: x\n\n"), "unsupported-http-version", "1991"),
        (
            crlf("POST /e HTTP/1.1\nHost: x\nContent-Length: 12 bytes\n\n"),
            "invalid-content-length",
            "unit",
        ),
        (
            crlf("POST /e HTTP/1.1\nHost: x\nContent-Length: 0x1a\n\n"),
            "invalid-content-length",
            "decimal",
        ),
        (
            crlf("GET / HTTP/1.1\nHost: x\nContent-Type: a\ncontent-type: b\n\n"),
            "duplicate-field",
            "case-insensitive",
        ),
        (crlf("HEAD / HTTP/1.1\nHost: x\nContent-Length: 2\n\nab"), "body-on-get", "HEAD request"),
        (b"GET / HTTP/1.1\nHost: x\r\n\r\n", "bare-lf", "1 of 3 lines"),
        (crlf("GET / HTTP/1.1\nHost: x\nExpect: fast\n\n"), "unsupported-expectation", '"fast"'),
        (
            crlf("CONNECT a.example:443 HTTP/1.1\nHost: a.example:443\n\n"),
            "connect-to-origin",
            "a.example:443",
        ),
        (crlf("GET / HTTP/1.1\n\tHost: x\n\n"), "whitespace-before-first-field", '"\\tHost: x"'),
    ],
)
def test_messages_name_what_was_written(raw, code, fragment):
    messages = [d.message for d in run(raw).diagnostics if d.code == code]
    assert messages and fragment in messages[0]


def test_body_on_head_cites_the_head_section():
    diagnostic = [
        d for d in run(crlf("HEAD / HTTP/1.1\nHost: x\nContent-Length: 2\n\nab")).diagnostics
    ][0]
    assert diagnostic.rfc == "RFC 9110 §9.3.2"
