"""Grade a learner's exchanges against a challenge's declarative checks.

A challenge is a list of steps; each step is a list of checks from the fixed
vocabulary in CHECKS (no code in the curriculum). A check looks at one step's
exchanges (by default its last; `exchange: 2` picks the second, `exchange: any`
or `all` look at every one), at the previous step's last response, or at the
learner's sandbox state after the step. Every result carries a sentence in the
learner's terms, saying what happened, not "check 4 failed". The checks
themselves live in checks.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .checks import CHECKS, COMMON_OPTIONAL, CheckDef, Context, chosen_exchanges
from .messages import Exchange

__all__ = ["CHECKS", "CheckResult", "StepResult", "Verdict", "check_problem", "grade_step", "grade"]


@dataclass(frozen=True)
class CheckResult:
    check: str
    passed: bool
    message: str


@dataclass(frozen=True)
class StepResult:
    name: str
    results: list[CheckResult]

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results)


@dataclass(frozen=True)
class Verdict:
    steps: list[StepResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.steps) and all(step.passed for step in self.steps)


# --- validation and grading -----------------------------------------------------------


def check_problem(spec) -> str | None:
    """Return why a check spec from the curriculum is invalid, or None if it is fine."""
    if not isinstance(spec, dict) or not isinstance(spec.get("check"), str):
        return "a check must be a mapping with a 'check' name"
    definition = CHECKS.get(spec["check"])
    if definition is None:
        return f"unknown check {spec['check']!r}; known checks: {', '.join(sorted(CHECKS))}"
    params = set(spec) - {"check"}
    missing = set(definition.required) - params
    unknown = params - set(definition.required) - set(definition.optional) - set(COMMON_OPTIONAL)
    if missing:
        return f"check {spec['check']!r} needs {', '.join(sorted(missing))}"
    if unknown:
        return f"check {spec['check']!r} does not take {', '.join(sorted(unknown))}"
    if spec["check"] in ("request_target", "response_status") and not (
        {"is", "matches", "in"} & params
    ):
        return f"check {spec['check']!r} needs 'is' (or 'matches'/'in')"
    grammar = _has_grammar(spec)
    if grammar:
        return grammar
    exchange = spec.get("exchange", "last")
    if not (exchange in ("last", "any", "all") or (isinstance(exchange, int) and exchange >= 1)):
        return "exchange must be 'last', 'any', 'all' or a request number from 1"
    for key in ("matches", "pattern"):
        if key in spec:
            try:
                re.compile(spec[key])
            except re.error as error:
                return f"{key} is not a valid regular expression: {error}"
    return None


# A regular expression sees bytes; these request fields have a grammar, and a
# check of their own that reads it (q=0, scheme case, cookie order, *, W/ ...).
_READ_WITH_GRAMMAR = {
    "accept": "request_accepts or request_accept_prefers",
    "authorization": "request_auth_scheme",
    "content-type": "request_header_equals (it compares media types by meaning)",
    "cookie": "request_cookie",
    "if-match": "request_header_equals_previous_response_header",
    "if-none-match": "request_header_equals_previous_response_header",
}


def _has_grammar(spec: dict) -> str | None:
    field = str(spec.get("name", "")).lower()
    if spec["check"] == "request_header_matches" and field in _READ_WITH_GRAMMAR:
        return f"a pattern cannot read {spec['name']} by meaning; use {_READ_WITH_GRAMMAR[field]}"
    if spec["check"] == "response_header_matches" and field == "content-type":
        return "a pattern cannot read Content-Type by meaning; use response_header_equals"
    return None


NOT_CHECKED = "Not checked: "


def grade_step(
    checks: list[dict], exchanges: list[Exchange], state: dict, previous: Exchange | None = None
) -> list[CheckResult]:
    """Run a step's checks; return one result per check, in order."""
    context = Context(exchanges=exchanges, state=state, previous=previous)
    results, seen = [], set()
    for spec in checks:
        result = _run(spec, context)
        if not result.passed and result.message in seen:
            # One unreadable request fails every request check the same way: say it once.
            result = CheckResult(result.check, False, "Not checked: same problem as above.")
        seen.add(result.message)
        results.append(result)
    return results


def grade(steps: list[dict], runs: list[tuple[list[Exchange], dict]]) -> Verdict:
    """Grade every step: `steps` are {name, checks}; `runs` the (exchanges, state after) of each step sent so far."""
    results, previous = [], None
    for step, (exchanges, state) in zip(steps, runs, strict=False):
        results.append(
            StepResult(step.get("name", ""), grade_step(step["checks"], exchanges, state, previous))
        )
        previous = exchanges[-1] if exchanges else previous
    return Verdict(results)


def _run(spec: dict, context: Context) -> CheckResult:
    definition = CHECKS[spec["check"]]
    if definition.scope == "state":
        passed, message = definition.run(context.state, spec)
    elif definition.scope == "step":
        passed, message = definition.run(context, spec)
    else:
        passed, message = _on_exchanges(definition, spec, context.exchanges)
    custom = spec.get("pass" if passed else "fail")
    if message.startswith(NOT_CHECKED):
        custom = None  # advice about a request the server never read would mislead
    return CheckResult(spec["check"], passed, f"{message} {custom}" if custom else message)


def _on_exchanges(definition: CheckDef, spec: dict, exchanges: list[Exchange]) -> tuple[bool, str]:
    which = spec.get("exchange", "last")
    chosen = chosen_exchanges(exchanges, which)
    if isinstance(chosen, str):
        return False, chosen
    outcomes = [_on_exchange(definition, spec, exchange) for exchange in chosen]
    if which == "any":
        return next((o for o in outcomes if o[0]), outcomes[-1])
    return next((o for o in outcomes if not o[0]), outcomes[-1])


def _on_exchange(definition: CheckDef, spec: dict, exchange: Exchange) -> tuple[bool, str]:
    if definition.scope == "exchange":
        return definition.run(exchange, spec)
    if definition.scope == "response":
        return definition.run(exchange.response, spec)
    if exchange.request is None:
        first_error = next((d for d in exchange.diagnostics if d.severity == "error"), None)
        why = f" because of the error on line {first_error.line}" if first_error else ""
        return False, f"Not checked: the server could not read your bytes as a request{why}."
    return definition.run(exchange.request, spec)
