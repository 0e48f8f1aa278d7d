"""The deviations a conformance run found (issue 11, point 4), as raw bytes
in, statuses and located diagnostics out: Host, Expect, chunk extensions,
whitespace before the first field, and CONNECT. Each row is what RFC 9110
and RFC 9112 require or allow; the TCP server must send the same bytes."""

import json

import pytest

from .server_harness import exchange, running_server
from .support import crlf, located_codes, run, statuses

CHUNKED = "POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n"

ROWS = {
    # RFC 9112 §3.2: an empty Host is for a target URI without an authority.
    "empty-host": (crlf("GET /books HTTP/1.1\nHost:\n\n"), [200], [("empty-host", 2, 6)]),
    "empty-host-with-spaces": (
        crlf("GET /books HTTP/1.1\nHost:   \n\n"),
        [200],
        [("empty-host", 2, 9)],
    ),
    "empty-host-asterisk": (crlf("OPTIONS * HTTP/1.1\nHost:\n\n"), [204], [("empty-host", 2, 6)]),
    "empty-host-http10": (crlf("GET / HTTP/1.0\nHost:\n\n"), [200], [("empty-host", 2, 6)]),
    "named-host": (crlf("GET /books HTTP/1.1\nHost: sandbox.localhost\n\n"), [200], []),
    # RFC 9110 §10.1.1: 417 for an expectation the server cannot meet.
    "expect-unknown": (
        crlf("GET / HTTP/1.1\nHost: x\nExpect: fast\n\n"),
        [417],
        [("unsupported-expectation", 3, 9)],
    ),
    "expect-with-parameter": (
        crlf("GET / HTTP/1.1\nHost: x\nExpect: foo=bar;baz\n\n"),
        [417],
        [("unsupported-expectation", 3, 9)],
    ),
    "expect-second-member": (
        crlf("POST /echo HTTP/1.1\nHost: x\nExpect: 100-continue, 200-ok\nContent-Length: 0\n\n"),
        [417],
        [("unsupported-expectation", 3, 23)],
    ),
    "expect-second-line": (
        crlf("GET / HTTP/1.1\nHost: x\nExpect: 100-continue\nExpect: later\n\n"),
        [417],
        [("unsupported-expectation", 4, 9)],
    ),
    "expect-100-continue": (
        crlf("POST /echo HTTP/1.1\nHost: x\nExpect: 100-continue\nContent-Length: 2\n\nab"),
        [200],
        [],
    ),
    "expect-100-continue-any-case": (
        crlf("GET / HTTP/1.1\nHost: x\nExpect: 100-Continue\n\n"),
        [200],
        [],
    ),
    "expect-empty": (crlf("GET / HTTP/1.1\nHost: x\nExpect:\n\n"), [200], []),
    # RFC 9112 §7.1.1: BWS before ";" is allowed; unknown extensions are ignored.
    "chunk-ext-space-before-semicolon": (
        crlf(CHUNKED + "3 ;a=b\nabc\n0\n\n"),
        [200],
        [("chunk-extension", 5, 2)],
    ),
    "chunk-ext-tab-and-spaces": (
        crlf(CHUNKED + '3\t; a = "b c"\nabc\n0\n\n'),
        [200],
        [("chunk-extension", 5, 2)],
    ),
    "chunk-ext-on-last-chunk": (
        crlf(CHUNKED + "3\nabc\n0 ;done\n\n"),
        [200],
        [("chunk-extension", 7, 2)],
    ),
    "chunk-ext-not-in-grammar": (
        crlf(CHUNKED + "3;a b\nabc\n0\n\n"),
        [200],
        [("chunk-extension", 5, 2)],
    ),
    "chunk-ext-plain": (crlf(CHUNKED + "3;a=b;c\nabc\n0\n\n"), [200], []),
    "chunk-ext-only-first-is-reported": (
        crlf(CHUNKED + "3 ;a\nabc\n2 ;b\nde\n0\n\n"),
        [200],
        [("chunk-extension", 5, 2)],
    ),
    "chunk-size-still-hex": (
        crlf(CHUNKED + "3 x\nabc\n0\n\n"),
        [400],
        [("bad-chunked-encoding", 5, 1), ("ignored-after-close", 6, 1)],
    ),
    # RFC 9112 §2.2: whitespace between the start-line and the first field.
    "space-before-first-field": (
        crlf("GET / HTTP/1.1\n Host: x\n\n"),
        [400],
        [("whitespace-before-first-field", 2, 1)],
    ),
    "tab-before-first-field": (
        crlf("GET / HTTP/1.1\n\tAccept: */*\nHost: x\n\n"),
        [400],
        [("whitespace-before-first-field", 2, 1)],
    ),
    "obs-fold-is-still-obs-fold": (
        crlf("GET / HTTP/1.1\nHost: x\nAccept: a,\n b\n\n"),
        [400],
        [("obs-fold", 4, 1)],
    ),
    # RFC 9110 §9.3.6: CONNECT is for proxies.
    "connect": (
        crlf("CONNECT sandbox.localhost:443 HTTP/1.1\nHost: sandbox.localhost:443\n\n"),
        [405],
        [("connect-to-origin", 1, 1)],
    ),
    "connect-ipv6": (
        crlf("CONNECT [::1]:8443 HTTP/1.1\nHost: [::1]:8443\n\n"),
        [405],
        [("connect-to-origin", 1, 1)],
    ),
    "connect-with-a-path": (
        crlf("CONNECT /books HTTP/1.1\nHost: x\n\n"),
        [400],
        [("bad-request-target", 1, 9)],
    ),
}


@pytest.mark.parametrize(("raw", "expected", "diagnostics"), ROWS.values(), ids=ROWS.keys())
def test_deviation_rows(raw, expected, diagnostics):
    outcome = run(raw)
    assert statuses(outcome) == expected
    assert located_codes(outcome) == diagnostics


@pytest.mark.parametrize(
    ("code", "rfc"),
    [
        ("empty-host", "RFC 9112 §3.2"),
        ("unsupported-expectation", "RFC 9110 §10.1.1"),
        ("chunk-extension", "RFC 9112 §7.1.1"),
        ("whitespace-before-first-field", "RFC 9112 §2.2"),
        ("connect-to-origin", "RFC 9110 §9.3.6"),
    ],
)
def test_each_new_diagnostic_cites_the_rule_that_applies(code, rfc):
    raw = next(raw for raw, _, found in ROWS.values() if found and found[0][0] == code)
    diagnostic = next(d for d in run(raw).diagnostics if d.code == code)
    assert diagnostic.rfc == rfc


def message_of(name: str) -> str:
    raw, _, found = ROWS[name]
    return next(d.message for d in run(raw).diagnostics if d.code == found[0][0])


@pytest.mark.parametrize(
    ("row", "fragments"),
    [
        ("empty-host", ["Host is empty", "no authority", "sandbox.localhost"]),
        ("expect-unknown", ['"fast"', "100-continue", "417"]),
        ("chunk-ext-space-before-semicolon", ['"3 ;a=b"', "allows", "token or a quoted string"]),
        ("chunk-ext-not-in-grammar", ['"3;a b"', "does not follow the grammar", '"="']),
        ("chunk-size-still-hex", ['"3 x"', "not a chunk extension", "token or a quoted string"]),
        ("space-before-first-field", ["request line", "ignore", "400"]),
        ("connect", ["tunnel", "not a proxy", "authority-form", "RFC 9112 §3.2.3", "405"]),
    ],
)
def test_messages_teach_the_rule(row, fragments):
    message = message_of(row)
    for fragment in fragments:
        assert fragment in message


def test_the_first_field_rule_is_not_called_obs_fold():
    message = message_of("space-before-first-field")
    assert "folding" not in message and "continue" not in message


def test_a_chunk_extension_is_ignored_and_the_data_kept():
    outcome = run(ROWS["chunk-ext-tab-and-spaces"][0])
    assert json.loads(outcome.exchanges[0].response.body)["body"] == "abc"


def test_connect_gets_allow_and_keeps_the_connection():
    raw = ROWS["connect"][0] + crlf("GET /books HTTP/1.1\nHost: x\n\n")
    outcome = run(raw)
    assert statuses(outcome) == [405, 200]
    assert outcome.exchanges[0].response.header("Allow")


@pytest.mark.parametrize(
    "name", ["expect-unknown", "chunk-ext-space-before-semicolon", "connect", "empty-host"]
)
def test_the_tcp_server_answers_the_same(name):
    raw = ROWS[name][0]
    with running_server() as (_, port):
        assert exchange(port, raw) == run(raw).raw_response


def test_an_unknown_expectation_is_answered_before_the_body_comes():
    # A client that waits for 100 Continue hears 417 at once instead.
    head = crlf("POST /echo HTTP/1.1\nHost: x\nExpect: 100-continue, fast\nContent-Length: 5\n\n")
    with running_server() as (_, port):
        answer = exchange(port, head, timeout=5)
    assert answer.startswith(b"HTTP/1.1 417 Expectation Failed\r\n")


@pytest.mark.parametrize(
    "size_line",
    [
        "3 ;a",
        "3\t;a",
        "3  ;  a  =  b",
        '3 ;a="x;y"',
        "3 ;a;b=c ;d",
        "3 ;a=b  ",
        '3 ; a = "\\"q\\""',
    ],
)
def test_every_spelling_the_grammar_allows_is_read_with_its_data(size_line):
    raw = crlf(CHUNKED + f"{size_line}\nabc\n2 ;z\nde\n0\n\n")
    outcome = run(raw)
    assert statuses(outcome) == [200]
    assert json.loads(outcome.exchanges[0].response.body)["body"] == "abcde"
    assert [d.code for d in outcome.diagnostics] == ["chunk-extension"]
