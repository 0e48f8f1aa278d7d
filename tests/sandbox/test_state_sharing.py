"""Copy on write: reading the bookshop costs no copy of it, writing works on a
copy of its own, and the state a caller passes in never changes."""

import copy

from hypothesis import given

from challenges.sandbox import fresh_state

from .support import build, crlf, run, statuses
from .test_properties import api_requests

BOOK = '{"title": "Dune", "author": "Frank Herbert", "year": 1965}'


def lived_in_state() -> dict:
    """A shop with tokens, a session, orders and a rate-limit window in use."""
    state = fresh_state()
    setup = (
        build(
            "POST",
            "/login",
            "Content-Type: application/json",
            body='{"username": "ada", "password": "lovelace"}',
        )
        + build(
            "POST",
            "/login",
            "Content-Type: application/x-www-form-urlencoded",
            body="username=grace&password=hopper",
        )
        + build(
            "POST",
            "/orders",
            "Content-Type: application/json",
            'Idempotency-Key: "k"',
            body='{"book_id": 2}',
        )
        + build("GET", "/limited")
        + build("POST", "/books", "Content-Type: application/json", body=BOOK)
    )
    return run(setup, state).state


LIVED_IN = lived_in_state()


def test_reading_answers_from_the_callers_own_state():
    state = fresh_state()
    outcome = run(build("GET", "/books/1") + build("HEAD", "/books") + build("GET", "/nope"), state)
    assert statuses(outcome) == [200, 200, 404]
    assert outcome.state is state


def test_writing_works_on_a_copy_and_leaves_the_callers_state_alone():
    state = fresh_state()
    before = copy.deepcopy(state)
    outcome = run(build("POST", "/books", "Content-Type: application/json", body=BOOK), state)
    assert statuses(outcome) == [201]
    assert outcome.state is not state and state == before
    assert len(outcome.state["books"]) == 7


def test_a_rejected_write_still_leaves_the_callers_state_alone():
    state = fresh_state()
    before = copy.deepcopy(state)
    outcome = run(build("POST", "/books", "Content-Type: application/json", body="{}"), state)
    assert statuses(outcome) == [422]
    assert state == before and outcome.state == before


def test_a_handler_that_fails_halfway_leaves_no_trace():
    """A form login counts a secret, then fails to store the session (a broken
    state): the answer is a 500 and the count is not kept."""
    state = fresh_state() | {"sessions": []}
    before = copy.deepcopy(state)
    login = crlf(
        "POST /login HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\n"
        "Content-Length: 30\n\nusername=grace&password=hopper"
    )
    outcome = run(login + build("GET", "/books/1"), state)
    assert statuses(outcome) == [500]
    assert outcome.state == before and state == before


def test_reads_after_a_write_in_one_submission_see_the_write():
    outcome = run(
        build("POST", "/books", "Content-Type: application/json", body=BOOK)
        + build("GET", "/books/7")
    )
    assert statuses(outcome) == [201, 200]


@given(api_requests())
def test_no_request_changes_the_state_it_was_given(request: bytes):
    before = copy.deepcopy(LIVED_IN)
    run(request, LIVED_IN)
    assert before == LIVED_IN
