"""The misconception vocabulary: load and validate curriculum/content/misconceptions.yaml.

A misconception is a wrong belief about HTTP that a learner's work can reveal:
{slug, belief (the wrong idea, in the learner's words), correction (what is
true and why), reference (the RFC section that settles it), diagnostics (the
sandbox diagnostic codes that reveal it)}. Quiz options and questions and
challenge checks name the one they reveal with `misconception: <slug>`; their
loaders check the slug with link_problem() against known_slugs().

Pure Python and PyYAML: quiz and challenges import this module, so it imports
neither of them. That is why the diagnostic codes it accepts are a parameter.
"""

import functools
import re
from pathlib import Path

import yaml

from curriculum.strict_yaml import StrictLoader

__all__ = [
    "DEFAULT_PATH",
    "ContentError",
    "known_slugs",
    "link_problem",
    "load_misconceptions",
    "revealed_by_diagnostics",
]

DEFAULT_PATH = Path(__file__).resolve().parent / "content" / "misconceptions.yaml"

# Slugs such as 401-means-forbidden may start with a digit.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
REFERENCE_RE = re.compile(r"RFC [1-9][0-9]{0,4} §(?:[0-9]+|[A-Z])(?:\.[0-9]+)*")
CODE_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TEXT_FIELDS = ("belief", "correction")
_FIELDS = ("slug", "belief", "correction", "reference", "diagnostics")


class ContentError(Exception):
    """The vocabulary file is invalid; the message names the file, the entry and the fault."""

    def __init__(self, path, entry, problem):
        self.path, self.entry, self.problem = str(path), entry, problem
        super().__init__(f"{self.path}: {entry}: {problem}")


def load_misconceptions(path, known_codes) -> list[dict]:
    """Read the vocabulary at `path` and return its entries, in file order, normalised.

    Each entry: {slug, belief, correction, reference, diagnostics (a list of
    codes)}. `known_codes` is the collection of sandbox diagnostic codes a
    `diagnostics` list may name (challenges.sandbox.diagnostics.DIAGNOSTIC_CODES);
    None checks only that each code is written like one, for a caller that
    needs the slugs and cannot import the sandbox. Raises ContentError for an
    unreadable file, a YAML error, a duplicate key, or any entry that breaks
    the rules.
    """
    path = Path(path)
    data = _read(path)
    if not isinstance(data, dict) or set(data) != {"misconceptions"}:
        raise ContentError(path, "file", "must be a mapping with exactly 'misconceptions'")
    entries = data["misconceptions"]
    if not isinstance(entries, list) or not entries:
        raise ContentError(path, "misconceptions", "must be a non-empty list of misconceptions")
    loaded, seen = [], {}
    for position, raw in enumerate(entries):
        entry = _entry(path, position, raw, known_codes)
        if entry["slug"] in seen:
            where = _name(position, entry["slug"])
            problem = f"duplicate slug: already used by misconception #{seen[entry['slug']] + 1}"
            raise ContentError(path, where, problem)
        seen[entry["slug"]] = position
        loaded.append(entry)
    return loaded


def known_slugs(path=None) -> frozenset[str]:
    """The slugs of the vocabulary at `path` (by default DEFAULT_PATH), read
    again only when the file changes."""
    path = Path(path or DEFAULT_PATH)
    try:
        modified = path.stat().st_mtime_ns
    except OSError as exc:
        raise ContentError(path, "file", f"cannot be read ({exc})") from exc
    return _slugs(str(path), modified)


@functools.lru_cache(maxsize=8)
def _slugs(path, modified):
    return frozenset(entry["slug"] for entry in load_misconceptions(path, None))


def link_problem(value, slugs) -> str | None:
    """Why `value`, given as `misconception:` in a content file, is not a known slug, or None."""
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        return f"misconception must be a slug from {DEFAULT_PATH.name}, got {value!r}"
    if value not in slugs:
        return (
            f"misconception {value!r} is not in the vocabulary "
            f"(curriculum/content/{DEFAULT_PATH.name})"
        )
    return None


def revealed_by_diagnostics(vocabulary: list[dict], codes) -> list[str]:
    """The misconceptions whose `diagnostics` include one of `codes`, once each, in vocabulary order.

    Pass the codes of root diagnostics only: a follow-on (one with `caused_by`)
    happened because of another mistake and says nothing of its own.
    """
    codes = set(codes)
    return [entry["slug"] for entry in vocabulary if codes.intersection(entry["diagnostics"])]


def _read(path):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "file", f"cannot be read ({exc})") from exc
    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, where, f"YAML syntax error: {reason}") from exc


def _name(position, slug=None):
    return f"misconception #{position + 1} ({slug})" if slug else f"misconception #{position + 1}"


def _entry(path, position, raw, known_codes):
    if not isinstance(raw, dict):
        raise ContentError(path, _name(position), "must be a mapping of fields")
    slug = raw.get("slug")
    where = _name(position, slug if isinstance(slug, str) else None)
    missing = [name for name in _FIELDS if name not in raw]
    if missing:
        raise ContentError(path, where, f"missing field(s): {', '.join(missing)}")
    unknown = sorted(str(name) for name in raw if name not in _FIELDS)
    if unknown:
        raise ContentError(path, where, f"unknown field(s): {', '.join(unknown)}")
    if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
        problem = f"slug {slug!r} must be lowercase words joined by hyphens, like '401-means-a-b'"
        raise ContentError(path, where, problem)
    texts = {}
    for name in _TEXT_FIELDS:
        value = raw[name]
        if not isinstance(value, str) or not value.strip():
            raise ContentError(path, where, f"{name} must be a non-empty string")
        texts[name] = " ".join(value.split())
    reference = raw["reference"]
    if not isinstance(reference, str) or not REFERENCE_RE.fullmatch(reference):
        problem = f"reference {reference!r} must look like 'RFC 9110 §9.2.2', with no note"
        raise ContentError(path, where, problem)
    return {
        "slug": slug,
        **texts,
        "reference": reference,
        "diagnostics": _diagnostics(path, where, raw["diagnostics"], known_codes),
    }


def _diagnostics(path, where, codes, known_codes):
    if not isinstance(codes, list):
        raise ContentError(path, where, "diagnostics must be a list of diagnostic codes (or [])")
    for code in codes:
        if not isinstance(code, str) or not CODE_RE.fullmatch(code):
            raise ContentError(path, where, f"diagnostic code {code!r} is not written like a code")
        if known_codes is not None and code not in known_codes:
            raise ContentError(path, where, f"unknown diagnostic code {code!r}")
    if len(set(codes)) != len(codes):
        raise ContentError(path, where, "a diagnostic code is listed twice")
    return list(codes)
