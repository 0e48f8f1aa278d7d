"""A diagnostic's long message is shown once, beside its line: the grader's
feedback points at it instead of repeating it (issue 10, point 5)."""

from challenges.sandbox.grading import grade_step

from .support import crlf, run

CHECKS = [
    {"check": "no_errors"},
    {"check": "request_method", "is": "GET"},
    {"check": "request_target", "is": "/books", "fail": "The catalogue lives at /books."},
    {"check": "response_status", "is": 200},
]


def test_a_missing_host_is_explained_once_and_pointed_at_elsewhere():
    outcome = run(crlf("GET /books HTTP/1.1\n\n"))
    (diagnostic,) = outcome.diagnostics
    results = grade_step(CHECKS, outcome.exchanges, outcome.state)
    messages = [result.message for result in results]
    assert not any(diagnostic.message in message for message in messages)
    assert messages[0].startswith("Line 2, column 1: This HTTP/1.1 request has no Host field")
    assert "(missing-host;" in messages[0]
    assert messages[1] == (
        "Not checked: the server could not read your bytes as a request because of the error on line 2."
    )
    assert messages[2] == "Not checked: same problem as above."
    assert sum("Host" in message for message in messages) == 1


def test_the_grader_points_at_the_root_cause_first():
    outcome = run(crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 1\n\n{}"))
    results = grade_step(
        [{"check": "no_errors", "exchange": "all"}], outcome.exchanges, outcome.state
    )
    assert "(content-length-shorter-than-body;" in results[0].message
