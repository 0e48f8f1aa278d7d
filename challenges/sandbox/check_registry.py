"""What every challenge check shares: the registry the vocabulary is kept in,
the context a check reads, and the wording helpers that keep feedback alike.

The checks themselves live in checks_messages.py (requests and responses) and
checks_steps.py (diagnostics, whole steps, the learner's state); checks.py
gathers them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from .messages import Exchange
from .render import reason_for
from .semantics import field_values_mean_the_same

__all__ = [
    "CHECKS",
    "COMMON_OPTIONAL",
    "CheckDef",
    "Context",
    "article",
    "chosen_exchanges",
    "count_of",
    "json_field_check",
    "phrase",
    "register",
    "same_value",
    "wanted_range",
]


@dataclass(frozen=True)
class Context:
    exchanges: list[Exchange]
    state: dict
    previous: Exchange | None


@dataclass(frozen=True)
class CheckDef:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    scope: str  # "request", "response", "exchange", "step" or "state"
    run: Callable[..., tuple[bool, str]]
    doc: str


CHECKS: dict[str, CheckDef] = {}
COMMON_OPTIONAL = ("exchange", "fail", "pass")


def register(name, *, scope, required=(), optional=(), doc=""):
    """Add the decorated function to CHECKS under `name`."""

    def add(function):
        CHECKS[name] = CheckDef(tuple(required), tuple(optional), scope, function, doc)
        return function

    return add


def phrase(status: int) -> str:
    """The status with the RFC 9110 reason phrase, as the sandbox itself sends it."""
    return f"{status} {reason_for(status)}"


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def count_of(number: int, noun: str) -> str:
    """'1 order', '2 orders' (nouns here are plural collection names or singular words)."""
    singular = noun[:-1] if noun.endswith("s") else noun
    return f"{number} {singular if number == 1 else singular + 's'}"


def wanted_range(spec) -> str:
    if "is" in spec:
        return f"exactly {spec['is']}"
    if "min" in spec and "max" in spec:
        return f"between {spec['min']} and {spec['max']}"
    return f"at least {spec['min']}" if "min" in spec else f"at most {spec['max']}"


def _json(body: bytes):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _NOT_JSON


_NOT_JSON = object()


def _field(document, dotted: str):
    """Return the value at a dotted path like `items.0.title`, or _MISSING."""
    value = document
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


_MISSING = object()


def chosen_exchanges(exchanges: list[Exchange], which) -> list[Exchange] | str:
    """The exchanges `which` names ("last", "any", "all" or a number), or why there are none."""
    if not exchanges:
        return "Nothing was sent in this step yet."
    if isinstance(which, int):
        if which > len(exchanges):
            return f"This step looks at request {which}, but you sent only {len(exchanges)}."
        return [exchanges[which - 1]]
    return exchanges if which in ("any", "all") else [exchanges[-1]]


def same_value(name: str, value: str, wanted: str, ignore_case: bool = False) -> bool:
    if ignore_case and field_values_mean_the_same(name, value.lower(), wanted.lower()):
        return True
    return field_values_mean_the_same(name, value, wanted)


def json_field_check(body: bytes, spec, whose: str):
    document = _json(body)
    if document is _NOT_JSON:
        return False, f"{whose} is not valid JSON."
    value = _field(document, spec["field"])
    if value is _MISSING:
        return False, f"{whose} has no field {spec['field']}."
    if "is" in spec and value != spec["is"]:
        return (
            False,
            f"{whose} has {spec['field']} = {json.dumps(value)}, not {json.dumps(spec['is'])}.",
        )
    return True, f"{whose} has {spec['field']} = {json.dumps(value)}."
