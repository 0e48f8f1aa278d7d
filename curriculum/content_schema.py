"""Read and validate curriculum/content/: topics.yaml and units/NN-<slug>.yaml.

Everything is checked before anything is written. The first problem raises
ContentError naming the file and the entry ("unit", "lesson block 3 (try
get-a-book)", ...). Whether a checkpoint's question and challenge slugs exist
is checked by the loader, against the banks that load_content read first.
"""

import re
from pathlib import Path

import yaml

from curriculum.diagrams import DiagramError, diagram_validate
from curriculum.strict_yaml import StrictLoader

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CITATION_RE = re.compile(r"RFC \d{3,5} §\d+(?:\.\d+)*")
UNIT_FILE_RE = re.compile(r"(\d\d)-([a-z0-9-]+)")
_TOPIC_FIELDS = ("slug", "title", "summary", "order")
_UNIT_FIELDS = ("slug", "number", "title", "topic", "summary")
_TRY_FIELDS = ("slug", "intro", "request", "expect")
_EXPECT_FIELDS = ("status", "headers", "body_contains")
_QUESTIONS_PER_CHECKPOINT = (5, 8)
_CHALLENGES_PER_CHECKPOINT = (1, 3)


class ContentError(Exception):
    """A curriculum file is invalid; the message names the file, the entry and the fault."""

    def __init__(self, path, entry, problem):
        self.path, self.entry, self.problem = str(path), entry, problem
        super().__init__(f"{self.path}: {entry}: {problem}")


def read_yaml(path: Path):
    """Parse one file, turning unreadable text or bad YAML into a ContentError with its line."""
    try:
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=StrictLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(path, "file", f"cannot be read ({error})") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        reason = getattr(error, "problem", None) or str(error)
        raise ContentError(path, where, f"YAML syntax error: {reason}") from error


def load_topics(path: Path) -> list[dict]:
    """The topic list, in path order: [{slug, title, summary, order}]."""
    data = read_yaml(path)
    if (
        not isinstance(data, dict)
        or set(data) != {"topics"}
        or not isinstance(data["topics"], list)
    ):
        raise ContentError(path, "file", "must be a mapping with exactly 'topics', a list")
    topics, seen_slugs, seen_orders = [], set(), set()
    for index, raw in enumerate(data["topics"]):
        entry = f"topic #{index + 1}"
        _fields(path, entry, raw, _TOPIC_FIELDS)
        entry = f"topic #{index + 1} ({raw['slug']})"
        _slug(path, entry, raw["slug"])
        for name in ("title", "summary"):
            _text(path, entry, raw[name], name)
        if not isinstance(raw["order"], int) or isinstance(raw["order"], bool):
            raise ContentError(path, entry, "order must be a whole number")
        if raw["slug"] in seen_slugs or raw["order"] in seen_orders:
            raise ContentError(path, entry, "slug and order must each be used once")
        seen_slugs.add(raw["slug"])
        seen_orders.add(raw["order"])
        topics.append({name: raw[name] for name in _TOPIC_FIELDS})
    return sorted(topics, key=lambda topic: topic["order"])


def load_units(directory: Path, topic_slugs: set[str]) -> list[dict]:
    """Every unit file, validated, in path order (numbered 1, 2, 3... without gaps)."""
    units = [load_unit(path, topic_slugs) for path in sorted(Path(directory).glob("*.yaml"))]
    for expected, unit in enumerate(units, start=1):
        if unit["number"] != expected:
            raise ContentError(
                unit["path"],
                "unit",
                f"number {unit['number']} breaks the order: expected {expected}",
            )
    return units


def load_unit(path: Path, topic_slugs: set[str]) -> dict:
    """One unit: {path, slug, number, title, topic, summary, blocks, words, questions, challenges}."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or set(data) != {"unit", "lesson", "checkpoint"}:
        raise ContentError(path, "file", "must be a mapping with exactly unit, lesson, checkpoint")
    unit = data["unit"]
    _fields(path, "unit", unit, _UNIT_FIELDS)
    _slug(path, "unit", unit["slug"])
    for name in ("title", "summary"):
        _text(path, "unit", unit[name], name)
    match = UNIT_FILE_RE.fullmatch(path.stem)
    if not match or (int(match[1]), match[2]) != (unit["number"], unit["slug"]):
        raise ContentError(path, "unit", "the file must be named NN-<slug>.yaml after its number")
    if unit["topic"] not in topic_slugs:
        raise ContentError(path, "unit", f"topic {unit['topic']!r} is not in topics.yaml")
    blocks = _lesson(path, data["lesson"])
    questions, challenges = _checkpoint(path, data["checkpoint"])
    return {
        **{name: unit[name] for name in _UNIT_FIELDS},
        "path": path,
        "blocks": blocks,
        "words": sum(len(block["text"].split()) for block in blocks if "text" in block),
        "questions": questions,
        "challenges": challenges,
    }


def _lesson(path, raw) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise ContentError(path, "lesson", "must be a non-empty list of blocks")
    blocks, try_slugs = [], set()
    for index, block in enumerate(raw):
        entry = f"lesson block {index + 1}"
        if not isinstance(block, dict) or len(block) != 1:
            raise ContentError(path, entry, "must be exactly one of text, try, diagram")
        ((kind, value),) = block.items()
        if kind == "text":
            blocks.append({"text": _text(path, entry, value, "text")})
        elif kind == "try":
            try_it = _try_it(path, entry, value)
            if try_it["slug"] in try_slugs:
                where = f"{entry} (try {try_it['slug']})"
                raise ContentError(path, where, f"try slug {try_it['slug']!r} is used twice")
            try_slugs.add(try_it["slug"])
            blocks.append({"try": try_it})
        elif kind == "diagram":
            blocks.append({"diagram": _diagram(path, entry, value)})
        else:
            raise ContentError(path, entry, f"unknown block {kind!r}: use text, try or diagram")
    if len(try_slugs) < 2:
        raise ContentError(path, "lesson", "needs at least two try blocks, to teach by doing")
    return blocks


def _try_it(path, entry, raw) -> dict:
    _fields(path, entry, raw, _TRY_FIELDS)
    entry = f"{entry} (try {raw['slug']})"
    _slug(path, entry, raw["slug"])
    _text(path, entry, raw["intro"], "intro")
    if not isinstance(raw["request"], str) or not raw["request"].strip():
        raise ContentError(path, entry, "request must be the raw request text")
    expect = raw["expect"]
    if not isinstance(expect, dict) or not expect or set(expect) - set(_EXPECT_FIELDS):
        raise ContentError(path, entry, f"expect takes {', '.join(_EXPECT_FIELDS)}")
    status = expect.get("status")
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise ContentError(path, entry, "expect.status must be a status code from 100 to 599")
    headers = expect.get("headers", {})
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise ContentError(path, entry, "expect.headers maps field names to text the value holds")
    if not isinstance(expect.get("body_contains", ""), str):
        raise ContentError(path, entry, "expect.body_contains must be text")
    return {
        "slug": raw["slug"],
        "intro": raw["intro"].strip(),
        "request": raw["request"],
        "expect": {
            "status": status,
            "headers": headers,
            "body_contains": expect.get("body_contains", ""),
        },
    }


def _diagram(path, entry, raw) -> dict:
    try:
        return diagram_validate(raw, entry)
    except DiagramError as error:
        raise ContentError(path, error.where, error.problem) from error


def _checkpoint(path, raw) -> tuple[list[str], list[str]]:
    if not isinstance(raw, dict) or set(raw) != {"questions", "challenges"}:
        raise ContentError(path, "checkpoint", "must have exactly questions and challenges")
    result = []
    for name, (low, high) in (
        ("questions", _QUESTIONS_PER_CHECKPOINT),
        ("challenges", _CHALLENGES_PER_CHECKPOINT),
    ):
        slugs = raw[name]
        if not isinstance(slugs, list) or not low <= len(slugs) <= high:
            raise ContentError(path, "checkpoint", f"{name} must list {low} to {high} slugs")
        for slug in slugs:
            _slug(path, f"checkpoint {name}", slug)
        if len(set(slugs)) != len(slugs):
            raise ContentError(path, "checkpoint", f"{name} names a slug twice")
        result.append(list(slugs))
    return result[0], result[1]


def _fields(path, entry, raw, required):
    if not isinstance(raw, dict):
        raise ContentError(path, entry, "must be a mapping")
    missing = [name for name in required if name not in raw]
    unknown = sorted(str(name) for name in raw if name not in required)
    if missing:
        raise ContentError(path, entry, f"missing field(s): {', '.join(missing)}")
    if unknown:
        raise ContentError(path, entry, f"unknown field(s): {', '.join(unknown)}")


def _slug(path, entry, value) -> str:
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        raise ContentError(path, entry, f"slug {value!r} must be lowercase words joined by hyphens")
    return value


def _text(path, entry, value, name) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, entry, f"{name} must be non-empty text")
    return value.strip()
