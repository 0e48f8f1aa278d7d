"""The grader: each check in the vocabulary, run over real exchanges from process()."""

from pathlib import Path

import pytest

from challenges.sandbox import Diagnostic, fresh_state
from challenges.sandbox.grading import CHECKS, check_problem, grade, grade_step
from challenges.sandbox.semantics import http_date

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
        (
            build("GET", "/books", "Accept: text/html, text/csv;q=0.5"),
            {"check": "request_accepts", "type": "text/csv"},
            True,
            "welcomes text/csv",
        ),
        (
            build("GET", "/books", "Accept: text/html, text/csv;q=0"),
            {"check": "request_accepts", "type": "text/csv"},
            False,
            "does not make text/csv acceptable",
        ),
        (
            build("GET", "/books", "Accept: text/csv;q=0.5, TEXT/HTML"),
            {"check": "request_accept_prefers", "type": "text/html", "over": "text/csv"},
            True,
            "text/html is preferred",
        ),
        (
            build("GET", "/books", "Accept: text/html;q=0.5, text/csv;q=0.5"),
            {"check": "request_accept_prefers", "type": "text/html", "over": "text/csv"},
            False,
            "does not prefer text/html",
        ),
        (
            build("GET", "/me", "Authorization: basic Z3JhY2U6aG9wcGVy"),
            {"check": "request_auth_scheme", "is": "Basic"},
            True,
            "Basic scheme",
        ),
        (
            build("GET", "/me", "Authorization: Bearer"),
            {"check": "request_auth_scheme", "is": "Bearer"},
            False,
            "carries no credentials",
        ),
        (
            build("GET", "/me", "Cookie: theme=dark; session=ab12"),
            {"check": "request_cookie", "name": "session", "matches": "[0-9a-f]+"},
            True,
            "sends the session cookie",
        ),
        (
            GET_BOOK,
            {"check": "request_cookie", "name": "session"},
            False,
            "no session cookie",
        ),
        (
            build("GET", "/books/1", 'If-None-Match: "x", W/"book-1-v1"'),
            {
                "check": "request_header_refers_to_response_header",
                "request": "If-None-Match",
                "response": "ETag",
            },
            True,
            "refers to the server's ETag",
        ),
        (
            build("GET", "/books/1", "If-None-Match: *"),
            {
                "check": "request_header_refers_to_response_header",
                "request": "If-None-Match",
                "response": "ETag",
            },
            False,
            "any version at all",
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
        (
            {"check": "request_header_matches", "name": "accept", "pattern": "text/csv"},
            "use request_accepts",
        ),
        (
            {"check": "request_header_matches", "name": "Authorization", "pattern": "^Basic"},
            "use request_auth_scheme",
        ),
        (
            {"check": "response_header_matches", "name": "Content-Type", "pattern": "^text/csv"},
            "use response_header_equals",
        ),
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


def _one(raw: bytes, spec: dict, state=None, previous=None):
    exchanges, state = _step(raw, state)
    (result,) = grade_step([spec], exchanges, state, previous)
    return result


@pytest.mark.parametrize(
    "target",
    ["/books/1", "http://sandbox.localhost/books/1", "HTTP://SANDBOX.LOCALHOST:80/books/%31"],
)
def test_a_target_in_absolute_form_names_the_same_resource(target):
    raw = build("GET", target)
    assert _one(raw, {"check": "request_target", "is": "/books/1"}).passed
    assert _one(raw, {"check": "request_target", "matches": r"/books/[0-9]+"}).passed
    assert not _one(raw, {"check": "request_target", "is": "/books/2"}).passed


@pytest.mark.parametrize(
    "content_type", ["application/json", "Application/JSON", "application/json; charset=UTF-8"]
)
def test_content_type_is_read_as_a_media_type(content_type):
    raw = build("POST", "/books", f"content-type: {content_type}", body='{"title": "Dune"}')
    spec = {"check": "request_header_equals", "name": "Content-Type", "is": "application/json"}
    assert _one(raw, spec).passed


def test_response_media_type_and_directives_are_read_by_meaning():
    csv = build("GET", "/books", "Accept: text/csv")
    assert _one(
        csv, {"check": "response_header_equals", "name": "Content-Type", "is": "TEXT/CSV"}
    ).passed
    assert not _one(
        csv, {"check": "response_header_equals", "name": "Content-Type", "is": "text/html"}
    ).passed
    spec = {"check": "response_header_equals", "name": "cache-control", "is": "MAX-AGE=60"}
    assert _one(GET_BOOK, spec).passed


def _revalidation(field: str, value_of):
    state = fresh_state()
    first, state = _step(GET_BOOK, state)
    etag = first[-1].response.header("ETag")
    spec = {
        "check": "request_header_equals_previous_response_header",
        "request": field,
        "response": "ETag",
    }
    return lambda text: _one(
        build("GET", "/books/1", f"{field}: {value_of(text, etag)}"), spec, state, first[-1]
    )


@pytest.mark.parametrize(
    "sent, passed",
    [
        ("{etag}", True),
        ("W/{etag}", True),  # If-None-Match compares weakly
        ('"x", {etag}', True),
        ('{etag} , "y"', True),
        ('"x"', False),
        ("*", False),  # stands for any version: it does not say which one you hold
    ],
)
def test_if_none_match_refers_to_the_etag_by_weak_comparison(sent, passed):
    result = _revalidation("If-None-Match", lambda text, etag: text.format(etag=etag))(sent)
    assert result.passed is passed, result.message


@pytest.mark.parametrize(
    "sent, passed",
    [("{etag}", True), ('"x", {etag}', True), ("W/{etag}", False), ("*", False)],
)
def test_if_match_refers_to_the_etag_by_strong_comparison(sent, passed):
    result = _revalidation("If-Match", lambda text, etag: text.format(etag=etag))(sent)
    assert result.passed is passed, result.message
    if sent == "*":
        assert "any version" in result.message


def test_if_modified_since_may_use_any_http_date_format():
    state = fresh_state()
    first, state = _step(GET_BOOK, state)
    stamp = http_date(first[-1].response.header("Last-Modified"))
    rfc850 = stamp.strftime("%A, %d-%b-%y %H:%M:%S GMT")
    spec = {
        "check": "request_header_equals_previous_response_header",
        "request": "If-Modified-Since",
        "response": "Last-Modified",
    }
    raw = build("GET", "/books/1", f"If-Modified-Since: {rfc850}")
    assert _one(raw, spec, state, first[-1]).passed


def test_the_echo_check_looks_at_the_requests_exchange_picks():
    state = fresh_state()
    first, state = _step(GET_BOOK, state)
    etag = first[-1].response.header("ETag")
    both, state = _step(
        build("GET", "/books/1", "If-None-Match: *")
        + build("GET", "/books/1", f"If-None-Match: {etag}"),
        state,
    )
    spec = {
        "check": "request_header_equals_previous_response_header",
        "request": "If-None-Match",
        "response": "ETag",
    }
    results = grade_step(
        [{**spec, "exchange": "all"}, {**spec, "exchange": 2}, {**spec, "exchange": "any"}],
        both,
        state,
        first[-1],
    )
    assert [r.passed for r in results] == [False, True, True]


def test_no_errors_says_how_many_errors_there_are():
    (exchange,), state = _step(b"get /books HTTP/1.1\r\nHost: x\r\n\r\n")
    second = Diagnostic(
        "space-before-colon", 3, 7, "error", "No space before a colon.", "RFC 9112 §5.1"
    )
    exchange.diagnostics.append(second)
    (result,) = grade_step([{"check": "no_errors"}], [exchange], state)
    assert not result.passed
    assert result.message.startswith("Line 1, column 1:")
    assert result.message.endswith("That is the first of 2 errors, each marked on its line.")


def test_a_target_pattern_is_never_shown_to_the_learner():
    raw = build("GET", "/authors")
    pattern = r"(?i)/books\?(.*&)?author=[^&]*shelley[^&]*(&.*)?"
    shown = _one(
        raw, {"check": "request_target", "matches": pattern, "like": "/books?author=Shelley"}
    )
    assert not shown.passed
    assert "a target like /books?author=Shelley" in shown.message and pattern not in shown.message
    bare = _one(raw, {"check": "request_target", "matches": pattern})
    assert pattern not in bare.message and "the target the brief asks for" in bare.message
