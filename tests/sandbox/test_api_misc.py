"""Redirects, /echo, /limited, /status, /teapot, and what every response carries."""

import json
from datetime import timedelta

import pytest

from challenges.sandbox import fresh_state

from .support import NOW, build, crlf, run, statuses


def response(raw: bytes, state: dict | None = None, index: int = -1):
    return run(raw, state).exchanges[index].response


@pytest.mark.parametrize(
    ("method", "target", "status", "location"),
    [
        ("GET", "/old-books", 301, "/books"),
        ("GET", "/old-books?author=eliot", 301, "/books?author=eliot"),
        ("POST", "/catalog", 308, "/books"),
        ("GET", "/tmp-redirect", 307, "/books"),
        ("GET", "/redirect/302", 302, "/echo"),
        ("POST", "/redirect/303", 303, "/echo"),
        ("DELETE", "/redirect/308", 308, "/echo"),
    ],
)
def test_redirects_carry_location(method, target, status, location):
    reply = response(build(method, target))
    assert reply.status == status
    assert reply.header("Location") == location


def test_unknown_redirect_codes_are_404():
    assert response(build("GET", "/redirect/300")).status == 404


def test_echo_shows_how_the_request_was_read():
    raw = crlf("POST /echo?x=1&x=2 HTTP/1.1\nhost: a.test\nX-First: 1\nContent-Length: 5\n\nhello")
    document = json.loads(response(raw).body)
    assert document == {
        "method": "POST",
        "target": "/echo?x=1&x=2",
        "path": "/echo",
        "query": {"x": ["1", "2"]},
        "http_version": "1.1",
        "headers": [["host", "a.test"], ["X-First", "1"], ["Content-Length", "5"]],
        "body": "hello",
        "content_length": 5,
        "diagnostics": 0,
        "diagnostic_codes": [],
    }


def test_echo_decodes_a_chunked_body_and_counts_warnings():
    raw = b"PUT /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    document = json.loads(response(raw).body)
    assert document["body"] == "hello world"
    assert document["diagnostic_codes"] == ["bare-lf"]


def test_echo_answers_head_and_options_like_any_method():
    assert response(build("HEAD", "/echo")).body == b""
    assert json.loads(response(build("OPTIONS", "/echo")).body)["method"] == "OPTIONS"


def test_limited_answers_429_with_retry_after_once_the_window_is_spent():
    state = fresh_state()
    outcome = run(build("GET", "/limited") * 6, state)
    assert statuses(outcome) == [200, 200, 200, 200, 200, 429]
    first, fifth = outcome.exchanges[0].response, outcome.exchanges[4].response
    assert first.header("RateLimit-Policy") == '"per-minute";q=5;w=60'
    assert first.header("RateLimit") == '"per-minute";r=4;t=60'
    assert fifth.header("RateLimit") == '"per-minute";r=0;t=60'
    assert outcome.exchanges[5].response.header("RateLimit") == '"per-minute";r=0;t=60'
    assert first.header("RateLimit-Remaining") is None  # the draft's retired name
    refused = outcome.exchanges[5].response
    assert refused.header("Retry-After") == "60"
    later = (
        run(build("GET", "/limited"), outcome.state, now=NOW + timedelta(seconds=45))
        .exchanges[0]
        .response
    )
    assert (later.status, later.header("Retry-After")) == (429, "15")
    fresh_window = run(build("GET", "/limited"), outcome.state, now=NOW + timedelta(seconds=61))
    assert statuses(fresh_window) == [200]


@pytest.mark.parametrize(
    ("code", "field", "has_body"),
    [
        (200, None, True),
        (204, None, False),
        (304, None, False),
        (401, "WWW-Authenticate", True),
        (405, "Allow", True),
        (308, "Location", True),
        (429, "Retry-After", True),
        (503, "Retry-After", True),
    ],
)
def test_status_answers_the_code_asked_for(code, field, has_body):
    reply = response(build("GET", f"/status/{code}"))
    assert reply.status == code
    if field:
        assert reply.header(field)
    assert bool(reply.body) == has_body
    assert (reply.header("Content-Length") is not None) == has_body


def test_status_outside_200_to_599_is_404():
    assert response(build("GET", "/status/100")).status == 404


def test_teapot():
    reply = response(build("GET", "/teapot"))
    assert (reply.status, reply.reason) == (418, "I'm a teapot")


def test_root_lists_the_resources():
    assert "/books" in json.loads(response(build("GET", "/")).body)["resources"]


def test_unknown_paths_are_404_problems_with_a_hint_for_a_trailing_slash():
    reply = response(build("GET", "/books/"))
    assert reply.status == 404
    assert reply.header("Content-Type") == "application/problem+json"
    assert "/books, without the trailing slash" in json.loads(reply.body)["detail"]


def test_connect_is_refused_with_405():
    reply = response(crlf("CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\n\n"))
    assert reply.status == 405
    assert reply.header("Allow")


def test_every_response_has_date_server_replica_and_length():
    reply = response(build("GET", "/books/1"))
    assert reply.headers[:3] == [
        ("Date", "Sat, 01 Mar 2025 12:00:00 GMT"),
        ("Server", "http-sandbox/1"),
        ("X-Served-By", "replica-2"),
    ]
    assert reply.header("Content-Length") == str(len(reply.body))
    assert reply.raw.startswith(b"HTTP/1.1 200 OK\r\nDate: Sat, 01 Mar 2025 12:00:00 GMT\r\n")


def test_textual_bodies_say_their_charset():
    assert response(build("GET", "/teapot")).header("Content-Type") == "text/plain; charset=utf-8"
    assert (
        response(build("GET", "/books", "Accept: text/html")).header("Content-Type")
        == "text/html; charset=utf-8"
    )


def test_connection_close_is_echoed_and_ends_the_connection():
    outcome = run(build("GET", "/", "Connection: close") + build("GET", "/"))
    assert statuses(outcome) == [200]
    assert outcome.exchanges[0].response.header("Connection") == "close"
    assert outcome.closes_connection


def test_http10_closes_unless_it_asks_for_keep_alive():
    closing = run(crlf("GET / HTTP/1.0\n\nGET / HTTP/1.0\n\n"))
    assert statuses(closing) == [200]
    assert closing.exchanges[0].response.header("Connection") == "close"
    kept = run(crlf("GET / HTTP/1.0\nConnection: keep-alive\n\nGET / HTTP/1.1\nHost: x\n\n"))
    assert statuses(kept) == [200, 200]
    assert kept.exchanges[0].response.header("Connection") == "keep-alive"
    assert kept.exchanges[1].response.header("Connection") is None


def test_http10_without_host_is_fine():
    outcome = run(crlf("GET /books/1 HTTP/1.0\n\n"))
    assert statuses(outcome) == [200] and outcome.diagnostics == []
    assert outcome.exchanges[0].request.http_version == "1.0"


def test_absolute_form_targets_are_served():
    outcome = run(
        crlf("GET http://sandbox.localhost/books/2?x=1 HTTP/1.1\nHost: sandbox.localhost\n\n")
    )
    assert statuses(outcome) == [200]
    assert outcome.exchanges[0].request.path == "/books/2"


def test_pipelined_requests_are_answered_in_order():
    outcome = run(build("GET", "/books/1") + build("GET", "/teapot") + build("GET", "/nope"))
    assert statuses(outcome) == [200, 418, 404]
    assert outcome.raw_response == b"".join(e.response.raw for e in outcome.exchanges)
