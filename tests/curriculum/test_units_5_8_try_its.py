"""Every try-it box of units 5 to 8 gets, from a fresh sandbox, the answer its lesson promises.

Each try-it is sent on its own, as the editor sends it by default (line
endings as CRLF), to a bookshop nobody has touched: a learner may open any
box first, so no box may depend on another having run. The expectation is
checked the way the lesson states it: the status, a substring of each named
header field's value, a substring of the body. A lesson's request must also
be clean: one request, no lint finding at all (a try-it that teaches one
thing must not trip over another).
"""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from challenges.sandbox import fresh_state, process

UNITS_DIR = Path(__file__).resolve().parents[2] / "curriculum" / "content" / "units"
UNIT_FILES = (
    "05-statelessness.yaml",
    "06-caching.yaml",
    "07-conditional-requests.yaml",
    "08-content-negotiation.yaml",
)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def load_unit(name: str) -> dict:
    return yaml.safe_load((UNITS_DIR / name).read_text(encoding="utf-8"))


def try_blocks(unit: dict) -> list[dict]:
    return [block["try"] for block in unit["lesson"] if "try" in block]


def as_editor_sends(text: str) -> bytes:
    return re.sub(r"(?<!\r)\n", "\r\n", text).encode("utf-8")


def expectation_problems(box: dict) -> list[str]:
    """Return what differs between the box's `expect` and a fresh sandbox's answer; [] if nothing."""
    outcome = process(as_editor_sends(box["request"]), fresh_state(), now=NOW)
    if len(outcome.exchanges) != 1:
        return [f"the request was read as {len(outcome.exchanges)} exchanges, not 1"]
    problems = [
        f"lint {d.severity} {d.code} at line {d.line}: {d.message}" for d in outcome.diagnostics
    ]
    response = outcome.exchanges[0].response
    expect = box["expect"]
    if response.status != expect["status"]:
        problems.append(f"status {response.status}, the lesson says {expect['status']}")
    for name, wanted in (expect.get("headers") or {}).items():
        value = response.header(name)
        if value is None or str(wanted) not in value:
            problems.append(f"{name} is {value!r}, the lesson says it contains {wanted!r}")
    wanted_body = expect.get("body_contains")
    if wanted_body is not None and wanted_body not in response.body.decode("utf-8", "replace"):
        problems.append(f"the body does not contain {wanted_body!r}")
    return problems


BOXES = [
    pytest.param(box, id=f"{name.removesuffix('.yaml')}:{box['slug']}")
    for name in UNIT_FILES
    for box in try_blocks(load_unit(name))
]


@pytest.mark.parametrize("box", BOXES)
def test_try_it_gets_the_answer_its_lesson_describes(box):
    assert expectation_problems(box) == []


@pytest.mark.parametrize("name", UNIT_FILES)
def test_unit_has_at_least_two_try_its_with_distinct_slugs(name):
    slugs = [box["slug"] for box in try_blocks(load_unit(name))]
    assert len(slugs) >= 2
    assert len(set(slugs)) == len(slugs)


def test_a_wrong_expectation_is_reported():
    box = try_blocks(load_unit("07-conditional-requests.yaml"))[1]
    wrong = {
        **box,
        "expect": {"status": 200, "headers": {"etag": '"book-3-v9"'}, "body_contains": "Moby"},
    }
    problems = expectation_problems(wrong)
    assert len(problems) == 3, problems


def test_a_try_it_that_needs_an_earlier_one_fails_on_a_fresh_sandbox():
    # Revalidating with the tag book 3 gets only after an edit cannot give 304 on a fresh shop.
    box = try_blocks(load_unit("07-conditional-requests.yaml"))[1]
    later = {**box, "request": box["request"].replace("book-3-v1", "book-3-v2")}
    assert expectation_problems(later) == ["status 200, the lesson says 304"]
