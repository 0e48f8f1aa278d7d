"""`misconception:` on challenge checks: validated against the vocabulary, ignored by the grader."""

import textwrap

import pytest

from challenges.content_schema import ContentError, load_challenge_bank, load_challenge_file
from challenges.misconception_links import linked_misconceptions, revealed_by_results
from challenges.sandbox.engine import process
from challenges.sandbox.grading import grade_step
from challenges.sandbox.state import fresh_state

TEMPLATE = """
topic: anatomy
challenges:
  - slug: find-the-host
    title: Find the host
    difficulty: 1
    points: 10
    brief: Fetch book 2.
    solution: |
      GET /books/2 HTTP/1.1
      Host: sandbox.localhost

    checks:
      - {{check: request_header_present, name: Host{link}}}
      - {{check: response_status, is: 200}}
"""


def challenge_file(tmp_path, link=""):
    path = tmp_path / "anatomy.yaml"
    path.write_text(textwrap.dedent(TEMPLATE.format(link=link)), encoding="utf-8")
    return path


def test_a_check_keeps_its_misconception_and_the_grader_does_not_mind(tmp_path):
    _, (challenge,) = load_challenge_file(
        challenge_file(tmp_path, ", misconception: host-is-optional")
    )

    checks = challenge["steps"][0]["checks"]
    assert checks[0] == {
        "check": "request_header_present",
        "name": "Host",
        "misconception": "host-is-optional",
    }
    outcome = process(b"GET /books/2 HTTP/1.1\r\n\r\n", fresh_state())
    linked = grade_step(checks, outcome.exchanges, outcome.state)
    plain = grade_step(
        [{"check": "request_header_present", "name": "Host"}, checks[1]],
        outcome.exchanges,
        outcome.state,
    )
    assert linked == plain
    assert [result.passed for result in linked] == [False, False]


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        (
            ", misconception: host-is-not-needed",
            "misconception 'host-is-not-needed' is not in the vocabulary "
            "(curriculum/content/misconceptions.yaml)",
        ),
        (
            ", misconception: Host Is Optional",
            "misconception must be a slug from misconceptions.yaml",
        ),
        (", misconception: [host-is-optional]", "got ['host-is-optional']"),
        (", misconception: null", "got None"),
        # The link does not hide a check's own faults.
        (
            ", misconception: host-is-optional, is: x",
            "check 'request_header_present' does not take is",
        ),
    ],
)
def test_a_bad_link_names_the_file_and_the_check(tmp_path, link, problem):
    path = challenge_file(tmp_path, link)

    with pytest.raises(ContentError) as caught:
        load_challenge_file(path)

    assert str(caught.value).startswith(f"{path}: challenge #1 (find-the-host), step 1, check 1: ")
    assert problem in str(caught.value)


# --- Which results reveal what (challenges.misconception_links) ----------------------

LINKED = [
    {"check": "request_header_present", "name": "Host", "misconception": "host-is-optional"},
    {"check": "no_errors", "misconception": "bare-lf-is-fine"},
    {"check": "response_status", "is": 200},
]


@pytest.mark.parametrize(
    ("request_bytes", "revealed"),
    [
        (b"GET /books/2 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n", []),
        (b"GET /books/2 HTTP/1.0\r\n\r\n", ["host-is-optional"]),  # 1.0 needs no Host: it is read
        # Unreadable: the request checks were not run, so they reveal nothing; no_errors did run.
        (b"GET /books/2 HTTP/1.1\r\n\r\n", ["bare-lf-is-fine"]),
    ],
)
def test_failed_linked_checks_reveal_their_misconceptions(request_bytes, revealed):
    outcome = process(request_bytes, fresh_state())
    results = grade_step(LINKED, outcome.exchanges, outcome.state)

    assert revealed_by_results(LINKED, results) == revealed
    stored = [{"check": r.check, "passed": r.passed, "message": r.message} for r in results]
    assert revealed_by_results(LINKED, stored) == revealed


def test_linked_misconceptions_lists_each_once_over_all_steps():
    steps = [{"name": "a", "checks": LINKED}, {"name": "b", "checks": LINKED[:1]}]

    assert linked_misconceptions(steps) == ["host-is-optional", "bare-lf-is-fine"]


@pytest.mark.parametrize(
    ("sent", "revealed"),
    [
        (b"GET /books/2 HTTP/1.0\r\n\r\n", []),  # the starter, as the editor sends it
        (b"GET /books/2 HTTP/1.0\n\n", []),
        ("GET /books/2 HTTP/1.0\n\n", []),
        (b"GET /books/2 HTTP/1.0\r\nAccept: */*\r\n\r\n", ["host-is-optional"]),
    ],
)
def test_the_unchanged_starter_reveals_nothing(sent, revealed):
    starter = "GET /books/2 HTTP/1.0\n\n"
    outcome = process(sent if isinstance(sent, bytes) else sent.encode(), fresh_state())
    results = grade_step(LINKED[:1], outcome.exchanges, outcome.state)

    assert revealed_by_results(LINKED[:1], results, sent=sent, starter=starter) == revealed


def test_the_bank_refuses_a_vocabulary_naming_a_code_the_sandbox_lacks(tmp_path, monkeypatch):
    (tmp_path / "curriculum").mkdir()
    vocabulary = tmp_path / "curriculum" / "misconceptions.yaml"
    vocabulary.write_text(
        "misconceptions:\n"
        "  - slug: host-is-optional\n"
        "    belief: Host is optional.\n"
        "    correction: It is not. A server answers 400 without it.\n"
        "    reference: RFC 9112 §3.2\n"
        "    diagnostics: [no-host-at-all]\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("curriculum.misconceptions.DEFAULT_PATH", vocabulary)
    challenge_file(tmp_path)

    with pytest.raises(ContentError) as caught:
        load_challenge_bank(tmp_path)

    assert str(caught.value) == (
        f"{vocabulary}: misconception #1 (host-is-optional): unknown diagnostic code 'no-host-at-all'"
    )
