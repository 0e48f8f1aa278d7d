"""process() as a whole: determinism, state handling, the records it returns."""

import copy
import json

from challenges.sandbox import Diagnostic, fresh_state, process

from .support import NOW, build, crlf, run, statuses

CREATE = build(
    "POST",
    "/books",
    "Content-Type: application/json",
    body='{"title": "Dune", "author": "Frank Herbert", "year": 1965}',
)
MIXED = (
    CREATE
    + build("GET", "/books", "Accept: text/csv")
    + build(
        "POST",
        "/login",
        "Content-Type: application/json",
        body='{"username": "ada", "password": "lovelace"}',
    )
)


def test_same_bytes_state_time_and_replica_give_identical_bytes():
    state = fresh_state()
    first = process(MIXED, state, now=NOW, replica="replica-3")
    second = process(MIXED, state, now=NOW, replica="replica-3")
    assert first.raw_response == second.raw_response
    assert first.state == second.state
    assert first.diagnostics == second.diagnostics


def test_the_state_passed_in_is_never_changed():
    state = fresh_state()
    before = copy.deepcopy(state)
    outcome = process(MIXED, state, now=NOW)
    assert state == before
    assert outcome.state != before
    outcome.state["books"].clear()
    assert state == before


def test_learners_states_never_affect_each_other():
    ada_state, grace_state = fresh_state(), fresh_state()
    ada_state = run(CREATE, ada_state).state
    assert len(ada_state["books"]) == 7
    assert statuses(run(build("GET", "/books/7"), grace_state)) == [404]
    assert ada_state["seed"] != grace_state["seed"]


def test_the_new_state_is_plain_json():
    outcome = run(
        MIXED + build("POST", "/orders", "Content-Type: application/json", body='{"book_id": 7}')
    )
    assert json.loads(json.dumps(outcome.state)) == outcome.state


def test_without_a_replica_each_response_names_one_of_three():
    outcome = process(build("GET", "/") * 10, fresh_state(), now=NOW)
    assert {e.response.header("X-Served-By") for e in outcome.exchanges} <= {
        "replica-1",
        "replica-2",
        "replica-3",
    }


def test_without_now_the_date_is_current():
    reply = process(build("GET", "/"), fresh_state()).exchanges[0].response
    assert reply.header("Date").endswith(" GMT")


def test_a_state_missing_keys_is_filled_in_deterministically():
    first = run(
        build(
            "POST",
            "/login",
            "Content-Type: application/json",
            body='{"username": "ada", "password": "lovelace"}',
        ),
        {},
    )
    second = run(
        build(
            "POST",
            "/login",
            "Content-Type: application/json",
            body='{"username": "ada", "password": "lovelace"}',
        ),
        {},
    )
    assert statuses(first) == [200]
    assert first.raw_response == second.raw_response


def test_exchanges_record_the_exact_slices_they_consumed():
    raw = b"\r\n" + build("GET", "/") + build("POST", "/echo", body="hi") + b"\r\n"
    outcome = run(raw)
    assert [e.raw_request for e in outcome.exchanges] == [
        b"\r\n" + build("GET", "/"),
        build("POST", "/echo", body="hi"),
    ]


def test_a_request_that_cannot_be_parsed_has_no_parsed_request():
    exchange = run(crlf("GET / HTTP/1.1\nHost : x\n\n")).exchanges[0]
    assert exchange.request is None
    assert exchange.response.status == 400


def test_parsed_request_helpers():
    request = (
        run(crlf("GET /books?author=eliot&x= HTTP/1.1\nHost: x\nX-Tag: a\nx-tag: b\n\n"))
        .exchanges[0]
        .request
    )
    assert request.header("X-TAG") == "a, b"
    assert request.header_values("x-tag") == ["a", "b"]
    assert request.header("Accept") is None
    assert request.path == "/books"
    assert request.query == {"author": ["eliot"], "x": [""]}
    assert request.headers == [("Host", "x"), ("X-Tag", "a"), ("x-tag", "b")]


def test_diagnostics_serialise_with_every_field():
    diagnostic = run(crlf("GET / HTTP/1.1\nHost : x\n\n")).diagnostics[0]
    assert isinstance(diagnostic, Diagnostic)
    assert diagnostic.to_dict() == {
        "code": "space-before-colon",
        "line": 2,
        "column": 5,
        "severity": "error",
        "message": diagnostic.message,
        "rfc": "RFC 9112 §5.1",
        "fix": "Host: x",
    }
    assert '"Host"' in diagnostic.message and diagnostic.message.endswith("Remove the whitespace.")


def test_exchange_and_outcome_records_serialise():
    outcome = run(build("GET", "/books/1"))
    record = outcome.exchanges[0].to_dict()
    assert record["response"]["status"] == 200
    assert record["request"]["method"] == "GET"
    json.dumps(record)


def test_positions_count_lines_by_lf_across_pipelined_requests():
    raw = build("GET", "/") + crlf("GET / HTTP/1.1\nHost: x\nBad Name: 1\n\n")
    assert [(d.line, d.column) for d in run(raw).diagnostics] == [(6, 4)]


def test_error_bodies_never_quote_the_learner_and_close_the_connection():
    reply = run(crlf("GET / HTTP/1.1\nHost : secret\n\n")).exchanges[0].response
    assert b"secret" not in reply.body
    assert json.loads(reply.body)["code"] == "space-before-colon"
    assert reply.header("Connection") == "close"


def test_an_error_to_a_head_request_has_no_body():
    reply = run(crlf("HEAD / HTTP/1.1\nHost : x\n\n")).exchanges[0].response
    assert reply.status == 400 and reply.body == b""
    assert int(reply.header("Content-Length")) > 0


def test_input_given_as_bytearray_or_memoryview_works():
    raw = build("GET", "/")
    assert statuses(run(bytearray(raw))) == statuses(run(memoryview(raw))) == [200]
