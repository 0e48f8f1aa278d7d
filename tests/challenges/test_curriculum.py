"""Every challenge in challenges/content is solvable in the sandbox, and its starter is not a solution.

Each step's solution is sent as the editor sends it (line endings as CRLF)
against one fresh bookshop that carries over between steps; placeholders
(<<previous.header.ETag>>) are filled from the previous step's response.
"""

import json
import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from challenges.content_schema import PLACEHOLDER_RE, load_challenge_bank
from challenges.loader import CONTENT_DIR
from challenges.sandbox import fresh_state, process
from challenges.sandbox.grading import grade_step

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TOPICS, CHALLENGES = load_challenge_bank(CONTENT_DIR)


def as_editor_sends(text: str) -> bytes:
    return re.sub(r"(?<!\r)\n", "\r\n", text).encode("utf-8")


def fill(text: str, previous) -> str:
    def value(match):
        kind, name = match.groups()
        if kind == "header":
            return previous.response.header(name) or ""
        if kind == "cookie":
            for set_cookie in [
                v for k, v in previous.response.headers if k.lower() == "set-cookie"
            ]:
                pair = set_cookie.split(";", 1)[0]
                if pair.split("=", 1)[0].strip() == name:
                    return pair.split("=", 1)[1].strip()
            return ""
        document = json.loads(previous.response.body)
        for part in name.split("."):
            document = document[int(part)] if isinstance(document, list) else document[part]
        return str(document)

    return PLACEHOLDER_RE.sub(value, text)


def play(challenge: dict, requests: list[str]):
    """Send one request text per step; return the results of every step that was sent."""
    state, previous, results = fresh_state(), None, []
    for step, text in zip(challenge["steps"], requests, strict=False):
        outcome = process(
            as_editor_sends(fill(text, previous) if previous else text),
            state,
            now=NOW,
            replica="replica-1",
        )
        results.append(grade_step(step["checks"], outcome.exchanges, outcome.state, previous))
        state = outcome.state
        if outcome.exchanges:
            previous = outcome.exchanges[-1]
    return results


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c["slug"])
def test_solution_passes_every_step(challenge):
    results = play(challenge, challenge["solution"])
    failures = [
        (number, r.message)
        for number, step in enumerate(results, start=1)
        for r in step
        if not r.passed
    ]
    assert failures == []


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c["slug"])
def test_starter_does_not_pass(challenge):
    if not challenge["starter"].strip():
        return  # an empty editor cannot be sent at all (the view refuses it)
    (first,) = play(challenge, [challenge["starter"]])
    assert not all(result.passed for result in first)


def test_curriculum_size_and_spread():
    assert len(CHALLENGES) >= 40
    per_topic = Counter(challenge["topic"] for challenge in CHALLENGES)
    assert len(per_topic) >= 6 and min(per_topic.values()) >= 3, per_topic
    assert any(len(challenge["steps"]) > 1 for challenge in CHALLENGES)
