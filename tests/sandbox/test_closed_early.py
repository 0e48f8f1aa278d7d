"""A client that closes its side mid-request gets 400, not 408; Host against an absolute-form target.

Both diagnostics come from steps after `process()` (only the TCP server knows
how its input ended), so their rows live here; the table in
test_diagnostics_table.py counts them.
"""

import socket
import time

import pytest

from challenges.sandbox.closed_early import answered_as_closed
from challenges.sandbox.host_notes import named_host, with_host_notes
from challenges.sandbox.server import ServerConfig

from .server_harness import exchange, running_server
from .support import crlf, located_codes, run, statuses

HALF_SENT = {
    "head-without-its-empty-line": (crlf("GET /books HTTP/1.1\nHost: x\n"), 3, 1),
    "body-shorter-than-content-length": (
        crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 10\n\n") + b"abc",
        3,
        17,
    ),
    "chunked-body-without-its-last-chunk": (
        crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n3\nabc\n"),
        7,
        1,
    ),
}

# Rows for the codes of the steps after process(), as (raw, statuses, located codes).
ROWS = {
    "client-closed-early": (
        HALF_SENT["head-without-its-empty-line"][0],
        [400],
        [("client-closed-early", 3, 1)],
    ),
    "host-disagrees-with-target": (
        crlf("GET http://a.example/books/1 HTTP/1.1\nHost: b.example\n\n"),
        [200],
        [("host-disagrees-with-target", 2, 7)],
    ),
}


def after_process(raw: bytes):
    """What the TCP server makes of `raw` when the client closes right after it."""
    return with_host_notes(answered_as_closed(run(raw)), raw)


@pytest.mark.parametrize("code", ROWS)
def test_each_code_of_the_steps_after_process_has_a_row(code):
    raw, expected_statuses, expected_codes = ROWS[code]
    outcome = after_process(raw)
    assert statuses(outcome) == expected_statuses
    assert located_codes(outcome) == expected_codes


@pytest.mark.parametrize("raw, line, column", HALF_SENT.values(), ids=HALF_SENT.keys())
def test_an_unfinished_request_then_a_close_is_a_400_that_says_the_client_closed(raw, line, column):
    waited = run(raw)
    assert statuses(waited) == [408]  # in the editor nobody closed: a server waits, then gives up
    closed = answered_as_closed(waited)
    assert statuses(closed) == [400]
    assert closed.raw_response.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"Connection: close\r\n" in closed.raw_response
    [diagnostic] = [d for d in closed.diagnostics if d.severity == "error"]
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == (
        "client-closed-early",
        line,
        column,
    )
    assert "closed its side" in diagnostic.message and "Nothing timed out" in diagnostic.message
    assert diagnostic.rfc == "RFC 9112 §8"
    assert "408" not in closed.raw_response.decode()


def test_a_complete_request_is_left_as_it_was():
    raw = crlf("GET /books/1 HTTP/1.1\nHost: x\n\n")
    outcome = run(raw)
    assert answered_as_closed(outcome) is outcome


@pytest.mark.parametrize("raw, line, column", HALF_SENT.values(), ids=HALF_SENT.keys())
def test_over_tcp_a_client_that_closes_mid_request_gets_400(raw, line, column):
    with running_server() as (host, port):
        answer = exchange(port, raw)  # sends, then shuts its side
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n"), answer[:80]
    assert b'"code": "client-closed-early"' in answer


def test_over_tcp_a_client_that_stays_silent_still_gets_408():
    config = ServerConfig(head_timeout=0.3, request_timeout=0.3)
    with (
        running_server(config=config) as (host, port),
        socket.create_connection((host, port), timeout=5) as sock,
    ):
        sock.sendall(HALF_SENT["head-without-its-empty-line"][0])
        time.sleep(0.1)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")


@pytest.mark.parametrize(
    "head, host",
    [
        (
            b"GET http://kabcdefghijk.sandbox.localhost/ HTTP/1.1\r\nHost: other\r\n\r\n",
            "kabcdefghijk.sandbox.localhost",
        ),
        (
            b"GET HTTP://User@KABCDEFGHIJK.example:80/x HTTP/1.1\r\nHost: y\r\n\r\n",
            "kabcdefghijk.example",
        ),
        (b"GET http://a.example:8080/ HTTP/1.1\r\n\r\n", "a.example:8080"),
        (b"GET /books HTTP/1.1\r\nHost: b.example\r\n\r\n", "b.example"),
        (b"GET http://[/ HTTP/1.1\r\nHost: c\r\n\r\n", "["),  # a stray bracket never raises
        (b"GET / HTTP/1.1\r\n\r\n", None),
    ],
)
def test_the_named_host_is_the_absolute_targets_authority_else_host(head, host):
    assert named_host(head) == host


@pytest.mark.parametrize(
    "raw",
    [
        crlf("GET http://a.example/books/1 HTTP/1.1\nHost: A.example\n\n"),
        crlf("GET http://a.example:80/books/1 HTTP/1.1\nHost: a.example\n\n"),
        crlf("GET /books/1 HTTP/1.1\nHost: b.example\n\n"),
    ],
)
def test_no_host_note_when_host_agrees_or_the_target_is_not_absolute(raw):
    assert not [d for d in after_process(raw).diagnostics if d.code == "host-disagrees-with-target"]


def test_the_host_note_is_placed_on_the_host_line_of_its_own_request():
    first = crlf("GET /books/1 HTTP/1.1\nHost: a.example\n\n")
    second = crlf("GET http://a.example/books/2 HTTP/1.1\nX-Other: 1\nHost: b.example\n\n")
    outcome = after_process(first + second)
    assert statuses(outcome) == [200, 200]
    assert located_codes(outcome) == [("host-disagrees-with-target", 6, 7)]
    assert outcome.exchanges[1].diagnostics[0].fix == "Host: a.example"
    assert outcome.raw_response == run(first + second).raw_response
