"""Every try-it box of units 9 to 12 gets the answer its lesson describes.

Each box is sent as the editor sends it by default (LF turned into CRLF) to
a fresh bookshop of its own, so no box depends on another having run first.
When a box holds several pipelined requests, `expect` describes the last
response, the one the lesson talks about; the earlier ones must not have
failed with a 5xx, which would mean the sandbox broke rather than answered.
"""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from challenges.content_schema import load_challenge_bank
from challenges.loader import CONTENT_DIR as CHALLENGES_DIR
from challenges.sandbox import fresh_state, process
from quiz.loader import CONTENT_DIR as QUIZ_DIR
from quiz.questions import load_question_bank

UNITS_DIR = Path(__file__).resolve().parents[2] / "curriculum" / "content" / "units"
UNIT_FILES = sorted(
    path for path in UNITS_DIR.glob("*.yaml") if path.name[:2] in {"09", "10", "11", "12"}
)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def as_editor_sends(text: str) -> bytes:
    return re.sub(r"(?<!\r)\n", "\r\n", text).encode("utf-8")


def try_boxes():
    for path in UNIT_FILES:
        unit = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in unit["lesson"]:
            if "try" in block:
                yield pytest.param(block["try"], id=f"{path.stem}:{block['try']['slug']}")


def test_all_four_units_are_here():
    assert [path.name[:2] for path in UNIT_FILES] == ["09", "10", "11", "12"]


@pytest.mark.parametrize("box", list(try_boxes()))
def test_try_it_gets_the_answer_the_lesson_describes(box):
    outcome = process(as_editor_sends(box["request"]), fresh_state(), now=NOW, replica="replica-1")
    assert outcome.exchanges, "the sandbox answered nothing"
    assert all(exchange.response.status < 500 for exchange in outcome.exchanges)
    response = outcome.exchanges[-1].response
    expect = box["expect"]
    assert response.status == expect["status"], response.raw.decode("utf-8", "replace")
    for name, wanted in expect.get("headers", {}).items():
        value = response.header(name)
        assert value is not None, f"no {name} in the response"
        assert wanted in value, f"{name}: {value!r} does not contain {wanted!r}"
    if "body_contains" in expect:
        assert expect["body_contains"] in response.body.decode("utf-8", "replace")


@pytest.mark.parametrize("path", UNIT_FILES, ids=lambda path: path.stem)
def test_unit_has_two_or_more_try_its_each_with_a_unique_slug(path):
    unit = yaml.safe_load(path.read_text(encoding="utf-8"))
    slugs = [block["try"]["slug"] for block in unit["lesson"] if "try" in block]
    assert len(slugs) >= 2
    assert len(set(slugs)) == len(slugs)


QUESTION_TYPES = {
    question["slug"]: question["type"] for question in load_question_bank(QUIZ_DIR)[1]
}
QUESTION_SLUGS = set(QUESTION_TYPES)
CHALLENGE_SLUGS = {challenge["slug"] for challenge in load_challenge_bank(CHALLENGES_DIR)[1]}


@pytest.mark.parametrize("path", UNIT_FILES, ids=lambda path: path.stem)
def test_checkpoint_draws_on_items_that_exist(path):
    checkpoint = yaml.safe_load(path.read_text(encoding="utf-8"))["checkpoint"]
    questions, challenges = checkpoint["questions"], checkpoint["challenges"]
    assert 5 <= len(questions) <= 8 and 1 <= len(challenges) <= 3
    assert [slug for slug in questions if slug not in QUESTION_SLUGS] == []
    assert [slug for slug in challenges if slug not in CHALLENGE_SLUGS] == []
    assert len({QUESTION_TYPES[slug] for slug in questions}) >= 4, "mix the question types"
