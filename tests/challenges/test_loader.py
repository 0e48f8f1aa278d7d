import textwrap

import pytest

from challenges.content_schema import ContentError
from challenges.loader import challenge_bank_load
from challenges.models import Challenge, Submission
from challenges.submissions import challenge_submit
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("curriculum_topics")]

VALID = """
topic: methods
challenges:
  - slug: first-get
    title: Your first GET
    difficulty: 1
    points: 10
    brief: Fetch the list of books.
    starter: ""
    hints:
      - {cost: 2, text: Use GET.}
    solution: |
      GET /books HTTP/1.1
      Host: sandbox.localhost

    checks:
      - {check: request_method, is: GET}
      - {check: response_status, is: 200}
"""


def _write(tmp_path, text, name="methods.yaml"):
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_valid_file_loads_and_reload_is_idempotent(tmp_path):
    directory = _write(tmp_path, VALID)
    summary = challenge_bank_load(directory)
    assert (summary.challenges, summary.created, summary.updated) == (1, 1, 0)
    assert str(summary) == "1 challenges in 1 topics (1 new, 0 updated, 0 retired)"
    again = challenge_bank_load(directory)
    assert (again.created, again.updated) == (0, 1)
    challenge = Challenge.objects.get()
    assert challenge.steps == [
        {
            "name": "Your first GET",
            "checks": [
                {"check": "request_method", "is": "GET"},
                {"check": "response_status", "is": 200},
            ],
        }
    ]


def test_reload_updates_a_changed_challenge_and_keeps_submissions(tmp_path):
    directory = _write(tmp_path, VALID)
    challenge_bank_load(directory)
    challenge_submit(
        user=UserFactory(),
        challenge=Challenge.objects.get(),
        data=b"GET /books HTTP/1.1\r\nHost: x\r\n\r\n",
    )
    _write(tmp_path, VALID.replace("Your first GET", "The first GET"))
    challenge_bank_load(directory)
    assert Challenge.objects.get().title == "The first GET"
    assert Submission.objects.count() == 1


def test_removed_challenge_is_retired_not_deleted(tmp_path):
    challenge_bank_load(_write(tmp_path, VALID))
    _write(tmp_path, VALID.replace("first-get", "second-get"))
    summary = challenge_bank_load(tmp_path)
    assert summary.deactivated == 1
    assert Challenge.objects.get(slug="first-get").is_active is False


@pytest.mark.parametrize(
    "change, problem",
    [
        (
            ("{check: request_method, is: GET}", "{check: teleport}"),
            "first-get), step 1, check 1: unknown check 'teleport'",
        ),
        (
            ("{check: request_method, is: GET}", "{check: request_method}"),
            "check 'request_method' needs is",
        ),
        (("    difficulty: 1\n", ""), "(first-get): missing field(s): difficulty"),
        (("difficulty: 1", "difficulty: 5"), "difficulty must be 1, 2 or 3"),
        (("points: 10", "points: ten"), "points must be a whole number"),
        (
            ("{cost: 2, text: Use GET.}", "{cost: 99, text: Use GET.}"),
            "hint 1: cost must be a whole number from 0",
        ),
        (('    starter: ""\n', '    starter: ""\n    colour: red\n'), "unknown field(s): colour"),
        (("slug: first-get", "slug: First_GET"), "slug must be lowercase"),
        (("brief: Fetch the list of books.", "brief: [oops"), "YAML syntax error"),
        (
            (
                "{check: request_method, is: GET}",
                "{check: request_header_matches, name: Accept, pattern: text/csv}",
            ),
            "check 1: a pattern cannot read Accept by meaning; use request_accepts",
        ),
    ],
)
def test_bad_files_name_the_file_and_entry_and_load_nothing(tmp_path, change, problem):
    old, new = change
    _write(tmp_path, VALID.replace(old, new))
    with pytest.raises(ContentError) as error:
        challenge_bank_load(tmp_path)
    assert "methods.yaml" in str(error.value) and problem in str(error.value)
    assert not Challenge.objects.exists()


def test_duplicate_slug_across_files_is_refused(tmp_path):
    _write(tmp_path, VALID)
    _write(tmp_path, VALID, name="methods-more.yaml")
    with pytest.raises(ContentError, match="duplicate slug: already used in"):
        challenge_bank_load(tmp_path)


def test_solution_count_must_match_steps(tmp_path):
    text = VALID.replace(
        "    checks:\n      - {check: request_method, is: GET}\n      - {check: response_status, is: 200}\n",
        "    steps:\n      - {name: a, checks: [{check: response_status, is: 200}]}\n      - {name: b, checks: [{check: response_status, is: 200}]}\n",
    )
    _write(tmp_path, text)
    with pytest.raises(
        ContentError, match=r"solution has 1 request\(s\) but the challenge has 2 step\(s\)"
    ):
        challenge_bank_load(tmp_path)
