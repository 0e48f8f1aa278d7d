"""The grader: each check in the vocabulary, run over real exchanges from process()."""

from pathlib import Path

import pytest

from challenges.sandbox import fresh_state
from challenges.sandbox.grading import CHECKS, check_problem, grade, grade_step

from .support import build, crlf, run


def _step(raw: bytes, state=None):
    outcome = run(raw, state)
    return outcome.exchanges, outcome.state


GET_BOOK = build("GET", "/books/1")
POST_JSON = build(
    "POST",
    "/books",
    "Content-Type: application/json",
    body='{"title": "Dune", "author": "Frank Herbert", "year": 1965}',
)


@pytest.mark.parametrize(
    "raw, spec, passed, phrase",
    [
        (GET_BOOK, {"check": "request_method", "is": "GET"}, True, "GET request"),
        (
            GET_BOOK,
            {"check": "request_method", "is": "POST"},
            False,
            "You sent GET, but this step needs POST",
        ),
        (GET_BOOK, {"check": "request_target", "is": "/books/1"}, True, "/books/1"),
        (GET_BOOK, {"check": "request_target", "matches": r"/books/\d+"}, True, "right one"),
        (
            GET_BOOK,
            {"check": "request_target", "is": "/books"},
            False,
            "but this step needs /books",
        ),
        (GET_BOOK, {"check": "request_version", "is": "1.1"}, True, "HTTP/1.1"),
        (GET_BOOK, {"check": "request_header_present", "name": "host"}, True, "has a host header"),
        (
            GET_BOOK,
            {"check": "request_header_present", "name": "Accept"},
            False,
            "no Accept header",
        ),
        (GET_BOOK, {"check": "request_header_absent", "name": "Cookie"}, True, "leaves out Cookie"),
        (
            GET_BOOK,
            {
                "check": "request_header_equals",
                "name": "Host",
                "is": "SANDBOX.localhost",
                "ignore_case": True,
            },
            True,
            "Host header",
        ),
        (
            GET_BOOK,
            {"check": "request_header_equals", "name": "Host", "is": "other"},
            False,
            "should be other",
        ),
        (
            GET_BOOK,
            {"check": "request_header_matches", "name": "Host", "pattern": "sandbox"},
            True,
            "has what",
        ),
        (
            POST_JSON,
            {"check": "request_body_json_field", "field": "title", "is": "Dune"},
            True,
            '"Dune"',
        ),
        (POST_JSON, {"check": "request_body_json_field", "field": "isbn"}, False, "no field isbn"),
        (GET_BOOK, {"check": "request_body_json_field", "field": "x"}, False, "not valid JSON"),
        (
            POST_JSON,
            {"check": "request_body_contains", "text": "Herbert"},
            True,
            "contains Herbert",
        ),
        (GET_BOOK, {"check": "response_status", "is": 200}, True, "200 OK"),
        (
            GET_BOOK,
            {"check": "response_status", "in": [201, 204]},
            False,
            "not 201 Created or 204 No Content",
        ),
        (
            POST_JSON,
            {"check": "response_header_present", "name": "Location"},
            True,
            "Location: /books/7",
        ),
        (
            GET_BOOK,
            {"check": "response_header_equals", "name": "Cache-Control", "is": "max-age=60"},
            True,
            "max-age=60",
        ),
        (
            GET_BOOK,
            {"check": "response_header_matches", "name": "ETag", "pattern": '^"'},
            True,
            "ETag",
        ),
        (GET_BOOK, {"check": "response_body_contains", "text": "Pride"}, True, "contains Pride"),
        (GET_BOOK, {"check": "response_body_empty"}, False, "has a body of"),
        (build("HEAD", "/books/1"), {"check": "response_body_empty"}, True, "no body"),
        (
            GET_BOOK,
            {"check": "response_body_json_field", "field": "author", "is": "Jane Austen"},
            True,
            "Jane Austen",
        ),
        (GET_BOOK, {"check": "no_errors"}, True, "well-formed"),
        (crlf("GET /books HTTP/1.1\n\n"), {"check": "no_errors"}, False, "no Host field"),
        (
            b"GET /books HTTP/1.1\nHost: x\n\n",
            {"check": "no_diagnostic", "code": "bare-lf"},
            False,
            "Line 1",
        ),
        (
            b"GET /books HTTP/1.1\nHost: x\n\n",
            {"check": "has_diagnostic", "code": "bare-lf"},
            True,
            "as intended",
        ),
        (GET_BOOK + GET_BOOK, {"check": "request_count", "is": 2}, True, "2 requests"),
        (GET_BOOK, {"check": "request_count", "min": 2}, False, "it needs at least 2"),
        (POST_JSON, {"check": "state_book_exists", "title": "Dune"}, True, "'Dune'"),
        (GET_BOOK, {"check": "state_book_missing", "id": 1}, False, "still in your bookshop"),
        (
            GET_BOOK,
            {"check": "state_book_field", "id": 1, "field": "year", "is": 1813},
            True,
            "year = 1813",
        ),
        (POST_JSON, {"check": "state_count", "collection": "books", "is": 7}, True, "7 books"),
        (GET_BOOK, {"check": "state_count", "collection": "orders", "min": 1}, False, "0 orders"),
    ],
)
def test_each_check_explains_its_result(raw, spec, passed, phrase):
    assert check_problem(spec) is None
    exchanges, state = _step(raw)
    (result,) = grade_step([spec], exchanges, state)
    assert result.passed is passed, result.message
    assert phrase in result.message


def test_every_check_in_the_vocabulary_is_exercised_above():
    source = Path(__file__).read_text(encoding="utf-8")
    missing = [name for name in CHECKS if f'"check": "{name}"' not in source]
    assert missing == []


def test_a_request_the_server_could_not_read_fails_request_checks_with_the_reason():
    exchanges, state = _step(b"BLAH\r\n\r\n")
    (result,) = grade_step([{"check": "request_method", "is": "GET"}], exchanges, state)
    assert not result.passed and "could not read your bytes as a request" in result.message


def test_exchange_selector_picks_a_pipelined_request():
    exchanges, state = _step(build("GET", "/books/1") + build("GET", "/nope"))
    checks = [
        {"check": "response_status", "is": 200, "exchange": 1},
        {"check": "response_status", "is": 404},
        {"check": "response_status", "is": 404, "exchange": "any"},
        {"check": "response_status", "is": 200, "exchange": "all"},
        {"check": "response_status", "is": 200, "exchange": 3},
    ]
    assert [r.passed for r in grade_step(checks, exchanges, state)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_previous_response_header_must_be_echoed_and_304_follows():
    state = fresh_state()
    first, state = _step(GET_BOOK, state)
    etag = first[-1].response.header("ETag")
    second, state = _step(build("GET", "/books/1", f"If-None-Match: {etag}"), state)
    steps = [
        {"name": "Fetch", "checks": [{"check": "response_status", "is": 200}]},
        {
            "name": "Revalidate",
            "checks": [
                {
                    "check": "request_header_equals_previous_response_header",
                    "request": "If-None-Match",
                    "response": "ETag",
                },
                {"check": "response_status", "is": 304},
            ],
        },
    ]
    verdict = grade(steps, [(first, state), (second, state)])
    assert verdict.passed, verdict
    without, _ = _step(GET_BOOK, state)
    failed = grade(steps, [(first, state), (without, state)])
    assert not failed.passed
    message = failed.steps[1].results[0].message
    assert "no If-None-Match header" in message and etag in message


def test_custom_fail_text_is_appended():
    exchanges, state = _step(GET_BOOK)
    spec = {
        "check": "response_status",
        "is": 304,
        "fail": "The server sent the book again: nothing told it what you had.",
    }
    (result,) = grade_step([spec], exchanges, state)
    assert result.message.endswith("nothing told it what you had.")


def test_verdict_needs_at_least_one_step():
    assert grade([], []).passed is False


@pytest.mark.parametrize(
    "spec, problem",
    [
        ({"check": "teleport"}, "unknown check 'teleport'"),
        ({"check": "response_status"}, "needs 'is'"),
        ({"check": "request_method"}, "needs is"),
        ({"check": "request_method", "is": "GET", "colour": "red"}, "does not take colour"),
        ({"check": "request_target", "matches": "("}, "not a valid regular expression"),
        ({"check": "response_status", "is": 200, "exchange": 0}, "exchange must be"),
        ("response_status", "a check must be a mapping"),
    ],
)
def test_bad_check_specs_are_explained(spec, problem):
    assert problem in check_problem(spec)


def test_a_retried_order_with_the_same_key_gets_the_same_location():
    order = build(
        "POST",
        "/orders",
        "Content-Type: application/json",
        "Idempotency-Key: abc-123",
        "Authorization: Basic YWRhOmxvdmVsYWNl",
        body='{"book_id": 1, "quantity": 1}',
    )
    first, state = _step(order)
    second, state = _step(order, state)
    spec = {"check": "response_header_equals_previous", "name": "Location"}
    (result,) = grade_step([spec], second, state, previous=first[-1])
    assert result.passed, result.message
    (count,) = grade_step(
        [{"check": "state_count", "collection": "orders", "is": 1}], second, state
    )
    assert count.passed and count.message == "Your bookshop has 1 order."
    other, _ = _step(build("GET", "/books"), state)
    (different,) = grade_step([spec], other, state, previous=first[-1])
    assert not different.passed and "this one's is (missing)" in different.message


def test_counts_read_naturally():
    exchanges, state = _step(GET_BOOK)
    (result,) = grade_step([{"check": "request_count", "min": 6}], exchanges, state)
    assert result.message == "You sent 1 request in this step; it needs at least 6."
