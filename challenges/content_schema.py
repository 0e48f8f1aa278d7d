"""Read and validate challenges/content/*.yaml.

Each file names its topic by slug and holds challenges of it. Everything is checked before
anything is written: unknown or missing fields, a check not in the grader's
vocabulary (challenges.sandbox.checks), bad difficulty or points, duplicate
slugs. The first problem raises ContentError naming the file and the entry.

A single-step challenge may give `checks:` directly; it becomes one step.
`solution` is one raw request per step (a list, or a string for one step). In
a later step's solution, `<<previous.header.NAME>>`, `<<previous.json.FIELD>>`
and `<<previous.cookie.NAME>>` (the value a Set-Cookie gave that cookie) stand
for a value from the previous step's response; learners see them as
prose, and the curriculum test fills them in.

A check may carry `misconception: <slug>` from curriculum/content/
misconceptions.yaml: the wrong belief that failing it reveals. The grader
never reads that key (checks read only their own parameters), so it is kept in
the stored check for whoever looks back at a failed result.
"""

import re
from pathlib import Path

import yaml

from challenges.sandbox.diagnostics import DIAGNOSTIC_CODES
from challenges.sandbox.grading import check_problem
from curriculum import misconceptions

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PLACEHOLDER_RE = re.compile(r"<<previous\.(header|json|cookie)\.([A-Za-z0-9_.-]+)>>")

_REQUIRED = ("slug", "title", "difficulty", "points", "brief", "solution")
_OPTIONAL = ("starter", "hints", "steps", "checks")


class ContentError(Exception):
    def __init__(self, path, entry, problem):
        self.path, self.entry, self.problem = str(path), entry, problem
        super().__init__(f"{self.path}: {entry}: {problem}")


def load_challenge_bank(directory) -> tuple[list[str], list[dict]]:
    """Return (topic slugs, challenges) from every *.yaml in `directory`, validated.

    Several files may hold one topic's challenges (`methods.yaml`, `methods-more.yaml`);
    whether each topic exists is for the loader to check against the curriculum.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ContentError(directory, "directory", "does not exist")
    _check_vocabulary_codes()
    topics, challenges, owners = [], [], {}
    for path in sorted(directory.glob("*.yaml")):
        topic, entries = load_challenge_file(path)
        if path.stem != topic and not path.stem.startswith(topic + "-"):
            raise ContentError(
                path,
                "topic",
                f"{topic!r} must match the file name ({topic}.yaml or {topic}-*.yaml)",
            )
        if topic not in topics:
            topics.append(topic)
        for challenge in entries:
            if challenge["slug"] in owners:
                raise ContentError(
                    path,
                    challenge["slug"],
                    f"duplicate slug: already used in {owners[challenge['slug']]}",
                )
            owners[challenge["slug"]] = path.name
            challenges.append(challenge)
    return topics, challenges


def load_challenge_file(path) -> tuple[dict, list[dict]]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ContentError(
            path, f"line {mark.line + 1}" if mark else "YAML", f"YAML syntax error: {error}"
        ) from error
    if not isinstance(data, dict) or set(data) != {"topic", "challenges"}:
        raise ContentError(path, "file", "must be a mapping with exactly 'topic' and 'challenges'")
    topic = _topic(path, data["topic"])
    if not isinstance(data["challenges"], list) or not data["challenges"]:
        raise ContentError(path, "challenges", "must be a non-empty list")
    return topic, [
        _challenge(path, index, raw, topic) for index, raw in enumerate(data["challenges"])
    ]


def _topic(path, raw) -> str:
    if isinstance(raw, dict):
        raise ContentError(
            path,
            "topic",
            "must be a topic's slug, like 'topic: methods'; topics are defined once, "
            "in curriculum/content/topics.yaml",
        )
    if not isinstance(raw, str) or not SLUG_RE.fullmatch(raw):
        raise ContentError(path, "topic", f"slug {raw!r} must be lowercase words joined by hyphens")
    return raw


def _challenge(path, index, raw, topic) -> dict:
    entry = f"challenge #{index + 1}"
    if not isinstance(raw, dict):
        raise ContentError(path, entry, "must be a mapping")
    if isinstance(raw.get("slug"), str):
        entry = f"challenge #{index + 1} ({raw['slug']})"
    missing = [name for name in _REQUIRED if name not in raw]
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if missing or unknown:
        problem = (
            f"missing field(s): {', '.join(missing)}"
            if missing
            else f"unknown field(s): {', '.join(unknown)}"
        )
        raise ContentError(path, entry, problem)
    if not isinstance(raw["slug"], str) or not SLUG_RE.fullmatch(raw["slug"]):
        raise ContentError(path, entry, "slug must be lowercase words joined by hyphens")
    if raw["difficulty"] not in (1, 2, 3):
        raise ContentError(path, entry, f"difficulty must be 1, 2 or 3, got {raw['difficulty']!r}")
    if (
        not isinstance(raw["points"], int)
        or isinstance(raw["points"], bool)
        or not 1 <= raw["points"] <= 500
    ):
        raise ContentError(
            path, entry, f"points must be a whole number from 1 to 500, got {raw['points']!r}"
        )
    for name in ("title", "brief"):
        if not isinstance(raw[name], str) or not raw[name].strip():
            raise ContentError(path, entry, f"{name} must be non-empty text")
    steps = _steps(path, entry, raw)
    return {
        "slug": raw["slug"],
        "topic": topic,
        "title": raw["title"].strip(),
        "difficulty": raw["difficulty"],
        "points": raw["points"],
        "brief": raw["brief"].strip(),
        "starter": _text_or_empty(path, entry, raw.get("starter", ""), "starter"),
        "hints": _hints(path, entry, raw.get("hints", []), raw["points"]),
        "solution": _solution(path, entry, raw["solution"], len(steps)),
        "steps": steps,
        "order": index,
    }


def _steps(path, entry, raw) -> list[dict]:
    if ("steps" in raw) == ("checks" in raw):
        raise ContentError(
            path,
            entry,
            "give either 'steps' (a list of {name, checks}) or 'checks', not both or neither",
        )
    steps = raw["steps"] if "steps" in raw else [{"name": raw["title"], "checks": raw["checks"]}]
    if not isinstance(steps, list) or not steps:
        raise ContentError(path, entry, "steps must be a non-empty list")
    normalised = []
    for number, step in enumerate(steps, start=1):
        where = f"{entry}, step {number}"
        if not isinstance(step, dict) or set(step) != {"name", "checks"}:
            raise ContentError(path, where, "a step needs exactly 'name' and 'checks'")
        if not isinstance(step["checks"], list) or not step["checks"]:
            raise ContentError(path, where, "checks must be a non-empty list")
        for check_number, spec in enumerate(step["checks"], start=1):
            problem = _misconception_problem(spec) or check_problem(_without_link(spec))
            if problem:
                raise ContentError(path, f"{where}, check {check_number}", problem)
        normalised.append({"name": str(step["name"]), "checks": step["checks"]})
    return normalised


def _without_link(spec):
    """The check as the grader sees it: the misconception link is not a parameter."""
    if isinstance(spec, dict) and "misconception" in spec:
        return {key: value for key, value in spec.items() if key != "misconception"}
    return spec


def _check_vocabulary_codes():
    """The misconception vocabulary's diagnostic codes must be the sandbox's own.

    curriculum cannot import the sandbox to check them, so the challenge bank,
    which loads with every deploy, does.
    """
    try:
        misconceptions.load_misconceptions(misconceptions.DEFAULT_PATH, DIAGNOSTIC_CODES)
    except misconceptions.ContentError as exc:
        raise ContentError(exc.path, exc.entry, exc.problem) from exc


def _misconception_problem(spec) -> str | None:
    if not isinstance(spec, dict) or "misconception" not in spec:
        return None
    try:
        slugs = misconceptions.known_slugs()
    except misconceptions.ContentError as exc:
        raise ContentError(exc.path, exc.entry, exc.problem) from exc
    return misconceptions.link_problem(spec["misconception"], slugs)


def _hints(path, entry, hints, points) -> list[dict]:
    if not isinstance(hints, list):
        raise ContentError(path, entry, "hints must be a list of {cost, text}")
    for number, hint in enumerate(hints, start=1):
        if not isinstance(hint, dict) or set(hint) != {"cost", "text"}:
            raise ContentError(
                path, f"{entry}, hint {number}", "a hint needs exactly 'cost' and 'text'"
            )
        if not isinstance(hint["cost"], int) or not 0 <= hint["cost"] <= points:
            raise ContentError(
                path,
                f"{entry}, hint {number}",
                f"cost must be a whole number from 0 to the points ({points})",
            )
    return hints


def _solution(path, entry, solution, step_count) -> list[str]:
    requests = [solution] if isinstance(solution, str) else solution
    if not isinstance(requests, list) or not all(
        isinstance(r, str) and r.strip() for r in requests
    ):
        raise ContentError(
            path, entry, "solution must be a raw request, or a list of them (one per step)"
        )
    if len(requests) != step_count:
        raise ContentError(
            path,
            entry,
            f"solution has {len(requests)} request(s) but the challenge has {step_count} step(s)",
        )
    if PLACEHOLDER_RE.search(requests[0]):
        raise ContentError(
            path, entry, "the first step's solution cannot refer to a previous response"
        )
    return requests


def _text_or_empty(path, entry, value, name) -> str:
    if not isinstance(value, str):
        raise ContentError(path, entry, f"{name} must be text")
    return value
