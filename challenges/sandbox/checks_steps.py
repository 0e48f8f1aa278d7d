"""The checks that look past one message: the linter's diagnostics of an
exchange, a whole step (how many requests, what they repeat from the previous
step's response), and the learner's sandbox state after it.

Only the diagnostic checks (no_errors, no_diagnostic, has_diagnostic) look at
the exact bytes, through the linter; a challenge that relies on them says so
in its brief. Validators are compared as the conditions compare them:
entity tags weakly for If-None-Match and strongly for If-Match, dates as
moments in any HTTP-date format.
"""

from __future__ import annotations

import json

from .check_registry import (
    Context,
    chosen_exchanges,
    count_of,
    register,
    same_value,
    wanted_range,
)
from .messages import Exchange, ParsedRequest
from .semantics import http_date, parse_entity_tags, tag_matches

# --- exchange and step checks ---------------------------------------------------------


@register(
    "no_errors",
    scope="exchange",
    doc="The linter found no error in the request (warnings are allowed).",
)
def _no_errors(exchange: Exchange, spec):
    # Follow-ons are told under their cause on the page, so only causes are counted here.
    errors = [d for d in exchange.diagnostics if d.severity == "error" and d.caused_by is None]
    if not errors:
        return True, "Your request is well-formed: the server found no error in it."
    more = len(errors) - 1
    others = f" That is the first of {more + 1} errors, each marked on its line." if more else ""
    return False, _pointer(errors[0]) + others


@register(
    "no_diagnostic",
    scope="exchange",
    required=("code",),
    doc="The linter did not report this diagnostic code (error or warning).",
)
def _no_diagnostic(exchange: Exchange, spec):
    found = [d for d in exchange.diagnostics if d.code == spec["code"]]
    if not found:
        return True, f"No {spec['code']} problem in your request."
    return False, _pointer(found[0])


def _pointer(diagnostic) -> str:
    """Where a diagnostic is and the first sentence of what it says, not all of
    it: the page shows the whole message once, beside the line it is about."""
    first_sentence = diagnostic.message.split(". ", 1)[0].rstrip(".")
    return (
        f"Line {diagnostic.line}, column {diagnostic.column}: {first_sentence} "
        f"({diagnostic.code}; the note on that line says what to change)."
    )


@register(
    "has_diagnostic",
    scope="exchange",
    required=("code",),
    doc="The linter reported this diagnostic code (for challenges about breaking a request on purpose).",
)
def _has_diagnostic(exchange: Exchange, spec):
    if any(d.code == spec["code"] for d in exchange.diagnostics):
        return True, f"The server spotted the {spec['code']} problem, as intended."
    return False, f"The server did not see a {spec['code']} problem in your request."


@register(
    "request_header_refers_to_response_header",
    scope="exchange",
    required=("request", "response"),
    doc="The request's header `request` refers to its own response's header `response` (e.g. "
    "If-None-Match to the ETag that a 304 carries), compared as "
    "request_header_equals_previous_response_header compares.",
)
def _refers_to_own_response(exchange: Exchange, spec):
    wanted = exchange.response.header(spec["response"])
    if wanted is None:
        return False, f"The response has no {spec['response']} header to compare with."
    return _echoes(exchange.request, spec, wanted, whose="the response")


@register(
    "request_count",
    scope="step",
    optional=("is", "min", "max"),
    doc="The number of requests sent in this step (pipelined requests count).",
)
def _request_count(context: Context, spec):
    count = len(context.exchanges)
    low, high = spec.get("is", spec.get("min", 0)), spec.get("is", spec.get("max", 10**6))
    if low <= count <= high:
        return True, f"You sent {count_of(count, 'requests')} in this step."
    return (
        False,
        f"You sent {count_of(count, 'requests')} in this step; it needs {wanted_range(spec)}.",
    )


@register(
    "request_header_equals_previous_response_header",
    scope="step",
    required=("request", "response"),
    doc="This step's request header `request` refers to the previous step's response header "
    "`response` (e.g. If-None-Match to ETag). Entity tags are compared as the condition does: "
    "weakly for If-None-Match, strongly for If-Match, in a list or alone; `*` names no version, "
    "so it does not count. Dates compare as moments, in any HTTP-date format. `exchange` picks "
    "the request(s), as for request checks.",
)
def _echo_previous(context: Context, spec):
    if context.previous is None:
        return False, "There is no earlier response to compare with: do the previous step first."
    wanted = context.previous.response.header(spec["response"])
    if wanted is None:
        return False, f"The previous response had no {spec['response']} header to send back."
    chosen = chosen_exchanges(context.exchanges, spec.get("exchange", "last"))
    if isinstance(chosen, str):
        return False, chosen
    outcomes = [_echoes(exchange.request, spec, wanted) for exchange in chosen]
    if spec.get("exchange") == "any":
        return next((o for o in outcomes if o[0]), outcomes[-1])
    return next((o for o in outcomes if not o[0]), outcomes[-1])


def _echoes(
    request: ParsedRequest | None, spec, wanted: str, whose: str = "the previous response"
) -> tuple[bool, str]:
    name, source = spec["request"], spec["response"]
    sent = request.header(name) if request else None
    if sent is None:
        return (
            False,
            f"Your request has no {name} header; send the {source} from {whose} ({wanted}).",
        )
    if _refers_to(name, sent, wanted):
        return True, f"Your {name} ({sent}) refers to the server's {source} ({wanted})."
    if sent.strip() == "*":
        return False, (
            f"Your {name} is *, which stands for any version at all, not the one the server "
            f"named; send its {source} ({wanted})."
        )
    return False, f"Your {name} is {sent}, but {whose}'s {source} was {wanted}."


def _refers_to(name: str, sent: str, wanted: str) -> bool:
    key = name.lower()
    if key in ("if-match", "if-none-match"):
        tags, current = parse_entity_tags(sent), parse_entity_tags(wanted)
        if not isinstance(tags, list) or not isinstance(current, list) or len(current) != 1:
            return False
        return any(tag_matches(tag, current[0], strong=key == "if-match") for tag in tags)
    if key in ("if-modified-since", "if-unmodified-since"):
        moment = http_date(sent)
        return moment is not None and moment == http_date(wanted)
    return same_value(name, sent, wanted)


@register(
    "response_header_equals_previous",
    scope="step",
    required=("name",),
    doc="This step's response carries the same `name` header as the previous step's response "
    "(e.g. a retried POST with the same Idempotency-Key answers with the same Location).",
)
def _same_as_previous(context: Context, spec):
    if context.previous is None:
        return False, "There is no earlier response to compare with: do the previous step first."
    before = context.previous.response.header(spec["name"])
    now = context.exchanges[-1].response.header(spec["name"]) if context.exchanges else None
    if before is not None and now is not None and same_value(spec["name"], now, before):
        return (
            True,
            f"Both responses carry {spec['name']}: {now}: the server answered the retry with the same result.",
        )
    return (
        False,
        f"The previous response's {spec['name']} was {before or '(missing)'}, this one's is {now or '(missing)'}.",
    )


# --- state checks ---------------------------------------------------------------------


@register(
    "state_book_exists",
    scope="state",
    required=("title",),
    doc="The learner's bookshop has a book with this title.",
)
def _state_book_exists(state: dict, spec):
    if any(book.get("title") == spec["title"] for book in state.get("books", [])):
        return True, f"Your bookshop now has a book titled {spec['title']!r}."
    return False, f"Your bookshop has no book titled {spec['title']!r}."


@register(
    "state_book_missing",
    scope="state",
    required=("id",),
    doc="The learner's bookshop has no book with this id.",
)
def _state_book_missing(state: dict, spec):
    if all(book.get("id") != spec["id"] for book in state.get("books", [])):
        return True, f"Book {spec['id']} is gone from your bookshop."
    return False, f"Book {spec['id']} is still in your bookshop."


@register(
    "state_book_field",
    scope="state",
    required=("id", "field", "is"),
    doc="Book `id` has field `field` equal to `is`.",
)
def _state_book_field(state: dict, spec):
    book = next((b for b in state.get("books", []) if b.get("id") == spec["id"]), None)
    if book is None:
        return False, f"Your bookshop has no book {spec['id']}."
    if book.get(spec["field"]) == spec["is"]:
        return True, f"Book {spec['id']} now has {spec['field']} = {json.dumps(spec['is'])}."
    return (
        False,
        f"Book {spec['id']} has {spec['field']} = {json.dumps(book.get(spec['field']))}, not {json.dumps(spec['is'])}.",
    )


@register(
    "state_count",
    scope="state",
    required=("collection",),
    optional=("is", "min", "max"),
    doc="The number of items in a state collection (books, orders).",
)
def _state_count(state: dict, spec):
    items = state.get(spec["collection"], [])
    count = len(items) if isinstance(items, list | dict) else 0
    low, high = spec.get("is", spec.get("min", 0)), spec.get("is", spec.get("max", 10**6))
    if low <= count <= high:
        return True, f"Your bookshop has {count_of(count, spec['collection'])}."
    return (
        False,
        f"Your bookshop has {count_of(count, spec['collection'])}; this step needs {wanted_range(spec)}.",
    )
