"""Every try-it box in units 1-4 gets, from a fresh sandbox, the response its
lesson describes.

The request is sent as the editor sends it by default (LF turned into CRLF)
and the first exchange's response is compared with the box's `expect`: the
status, each named header's value containing the given text, and the body
containing `body_contains`.
"""

from functools import cache
from pathlib import Path

import pytest
import yaml

from challenges.sandbox import fresh_state, process

UNITS = Path(__file__).resolve().parents[2] / "curriculum" / "content" / "units"
UNIT_FILES = sorted(UNITS.glob("0[1-4]-*.yaml"))


def try_boxes():
    for path in UNIT_FILES:
        lesson = yaml.safe_load(path.read_text(encoding="utf-8"))["lesson"]
        for block in lesson:
            if "try" in block:
                yield pytest.param(block["try"], id=f"{path.stem}:{block['try']['slug']}")


def test_units_1_to_4_are_there_with_at_least_two_try_boxes_each():
    assert [path.name[:2] for path in UNIT_FILES] == ["01", "02", "03", "04"]
    for path in UNIT_FILES:
        lesson = yaml.safe_load(path.read_text(encoding="utf-8"))["lesson"]
        assert sum("try" in block for block in lesson) >= 2, path.name


@pytest.mark.parametrize("box", list(try_boxes()))
def test_try_it_gets_the_response_its_lesson_describes(box):
    data = box["request"].replace("\n", "\r\n").encode("utf-8")
    response = process(data, fresh_state()).exchanges[0].response
    expect = box["expect"]
    assert response.status == expect["status"], response.raw.decode("utf-8", "replace")
    for name, part in expect.get("headers", {}).items():
        value = response.header(name)
        assert value is not None and str(part) in value, f"{name}: {value!r}"
    if "body_contains" in expect:
        assert expect["body_contains"] in response.body.decode("utf-8"), response.body


@cache
def _slugs(directory: str, key: str) -> set[str]:
    """Every entry slug in <repo>/<directory>/*.yaml, read as plain YAML."""
    slugs = set()
    for path in (UNITS.parents[2] / directory).glob("*.yaml"):
        slugs |= {entry["slug"] for entry in yaml.safe_load(path.read_text(encoding="utf-8"))[key]}
    return slugs


@pytest.mark.parametrize("path", UNIT_FILES, ids=lambda path: path.stem)
def test_checkpoint_names_existing_questions_and_challenges(path):
    checkpoint = yaml.safe_load(path.read_text(encoding="utf-8"))["checkpoint"]
    questions, challenges = checkpoint["questions"], checkpoint["challenges"]
    assert 5 <= len(questions) <= 8 and 1 <= len(challenges) <= 3
    assert set(questions) <= _slugs("quiz/content", "questions")
    assert set(challenges) <= _slugs("challenges/content", "challenges")
