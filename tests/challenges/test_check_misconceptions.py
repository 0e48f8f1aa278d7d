"""`misconception:` on challenge checks: validated against the vocabulary, ignored by the grader."""

import textwrap

import pytest

from challenges.content_schema import ContentError, load_challenge_file
from challenges.sandbox.engine import process
from challenges.sandbox.grading import grade_step
from challenges.sandbox.state import fresh_state

TEMPLATE = """
topic: {{slug: anatomy, title: Anatomy, summary: Parts., order: 1}}
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
