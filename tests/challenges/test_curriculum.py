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


BY_SLUG = {challenge["slug"]: challenge for challenge in CHALLENGES}


def _with(slug: str, step: int, old: str, new: str) -> list[str]:
    """The challenge's solution with `old` replaced by `new` in step `step` (from 1)."""
    requests = list(BY_SLUG[slug]["solution"])
    assert old in requests[step - 1], (slug, old)
    requests[step - 1] = requests[step - 1].replace(old, new)
    return requests


def _passed(challenge: dict, requests: list[str]) -> bool:
    results = play(challenge, requests)
    return len(results) == len(challenge["steps"]) and all(
        result.passed for step in results for result in step
    )


@pytest.mark.parametrize(
    "slug, step, old, new",
    [
        # q=0 means "not acceptable": CSV is then no fallback at all.
        ("headers-accept-quality", 1, "text/csv;q=0.5", "text/csv;q=0"),
        ("headers-accept-csv", 1, "Accept: text/csv", "Accept: text/csv;q=0, */*;q=0.1"),
        # If-Match: * matches any version, so it skips the lost-update check.
        ("methods-put-replace", 2, "If-Match: <<previous.header.ETag>>", "If-Match: *"),
        ("methods-patch-merge", 2, "If-Match: <<previous.header.ETag>>", "If-Match: *"),
        # A weak tag never matches strongly: If-Match needs the ETag itself.
        ("methods-put-replace", 2, "If-Match: <<", "If-Match: W/<<"),
        # `*` says "any version", not "the version I hold".
        ("codes-304-not-modified", 1, 'If-None-Match: "book-3-v1"', "If-None-Match: *"),
        # Step 1 logs in as Grace, not as anybody.
        ("stateless-any-replica", 1, '"grace","password":"hopper"', '"ada","password":"lovelace"'),
    ],
)
def test_graders_are_not_looser_than_their_briefs(slug, step, old, new):
    assert _passed(BY_SLUG[slug], BY_SLUG[slug]["solution"])
    assert not _passed(BY_SLUG[slug], _with(slug, step, old, new))


def test_lost_update_needs_the_etag_from_both_editors():
    """Editor A sending `If-Match: *` would still win, and B still lose: the
    grader must not take that for the lost-update protection."""
    requests = list(BY_SLUG["caching-lost-update"]["solution"])
    requests[1] = requests[1].replace("If-Match: <<previous.header.ETag>>", "If-Match: *", 1)
    assert not _passed(BY_SLUG["caching-lost-update"], requests)


def test_briefs_say_what_http_says():
    replica = BY_SLUG["stateless-any-replica"]["brief"]
    assert "everything needed travels" not in replica and "store" in replica
    redirect = BY_SLUG["codes-redirect-follow"]["brief"]
    assert "Fetch standard" in redirect and "old clients" not in redirect
    forbidden = BY_SLUG["codes-403-forbidden"]["brief"]
    assert (
        "I know\n      who you are" not in forbidden
        and "without knowing who is asking" in " ".join(forbidden.split())
    )
    assert "RateLimit-Remaining" not in BY_SLUG["codes-429-retry-after"]["brief"]
