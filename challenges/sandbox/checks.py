"""The vocabulary of challenge checks: each is a small function from what was
exchanged to (passed, a sentence for the learner).

A check's scope says what it looks at: a request, a response, a whole
exchange (its diagnostics), the step (all its exchanges and the previous
step's response), or the learner's sandbox state after the step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from .messages import Exchange, ParsedRequest, Response
from .render import reason_for

__all__ = ["CHECKS", "COMMON_OPTIONAL", "CheckDef", "Context"]


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


def _check(name, *, scope, required=(), optional=(), doc=""):
    def register(function):
        CHECKS[name] = CheckDef(tuple(required), tuple(optional), scope, function, doc)
        return function

    return register


def _phrase(status: int) -> str:
    """The status with the RFC 9110 reason phrase, as the sandbox itself sends it."""
    return f"{status} {reason_for(status)}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _count(number: int, noun: str) -> str:
    """'1 order', '2 orders' (nouns here are plural collection names or singular words)."""
    singular = noun[:-1] if noun.endswith("s") else noun
    return f"{number} {singular if number == 1 else singular + 's'}"


def _wanted_range(spec) -> str:
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


# --- request checks -------------------------------------------------------------------


@_check(
    "request_method",
    scope="request",
    required=("is",),
    doc="The request used this method (case matters).",
)
def _request_method(request: ParsedRequest, spec):
    if request.method == spec["is"]:
        return True, f"You sent {_article(request.method)} {request.method} request."
    return False, f"You sent {request.method}, but this step needs {spec['is']}."


@_check(
    "request_target",
    scope="request",
    optional=("is", "matches"),
    doc="The request-target is exactly `is`, or matches the regular expression `matches`.",
)
def _request_target(request: ParsedRequest, spec):
    if "is" in spec:
        ok = request.target == spec["is"]
        wanted = spec["is"]
    else:
        ok = re.fullmatch(spec["matches"], request.target) is not None
        wanted = f"a target like {spec['matches']}"
    if ok:
        return True, f"Your request-target {request.target} is the right one."
    return False, f"Your request-target is {request.target}, but this step needs {wanted}."


@_check(
    "request_version",
    scope="request",
    required=("is",),
    doc="The request line ends with HTTP/<is>.",
)
def _request_version(request: ParsedRequest, spec):
    if request.http_version == spec["is"]:
        return True, f"Your request line says HTTP/{request.http_version}."
    return (
        False,
        f"Your request line says HTTP/{request.http_version}, but this step needs HTTP/{spec['is']}.",
    )


@_check(
    "request_header_present",
    scope="request",
    required=("name",),
    doc="The request has this header field.",
)
def _request_header_present(request: ParsedRequest, spec):
    if request.header(spec["name"]) is not None:
        return True, f"Your request has {_article(spec['name'])} {spec['name']} header."
    return False, f"Your request has no {spec['name']} header."


@_check(
    "request_header_absent",
    scope="request",
    required=("name",),
    doc="The request does not have this header field.",
)
def _request_header_absent(request: ParsedRequest, spec):
    if request.header(spec["name"]) is None:
        return True, f"Your request leaves out {spec['name']}, as it should."
    return False, f"Your request still sends {spec['name']}; leave it out for this step."


@_check(
    "request_header_equals",
    scope="request",
    required=("name", "is"),
    doc="The header's value is exactly `is` (case-insensitive when `ignore_case: true`).",
    optional=("ignore_case",),
)
def _request_header_equals(request: ParsedRequest, spec):
    value = request.header(spec["name"])
    if value is None:
        return False, f"Your request has no {spec['name']} header; it should be {spec['is']}."
    same = value.lower() == spec["is"].lower() if spec.get("ignore_case") else value == spec["is"]
    if same:
        return True, f"Your {spec['name']} header is {value}."
    return False, f"Your {spec['name']} header is {value}, but it should be {spec['is']}."


@_check(
    "request_header_matches",
    scope="request",
    required=("name", "pattern"),
    doc="The header's value matches the regular expression `pattern` (case-insensitive).",
)
def _request_header_matches(request: ParsedRequest, spec):
    value = request.header(spec["name"])
    if value is None:
        return False, f"Your request has no {spec['name']} header."
    if re.search(spec["pattern"], value, re.IGNORECASE):
        return True, f"Your {spec['name']} header ({value}) has what this step needs."
    return False, f"Your {spec['name']} header is {value}, which is not what this step needs."


@_check(
    "request_body_json_field",
    scope="request",
    required=("field",),
    optional=("is",),
    doc="The request body is JSON with this (dotted) field, equal to `is` if given.",
)
def _request_body_json_field(request: ParsedRequest, spec):
    return _json_field_check(request.body, spec, "Your request body")


@_check(
    "request_body_contains",
    scope="request",
    required=("text",),
    doc="The request body contains this text.",
)
def _request_body_contains(request: ParsedRequest, spec):
    if spec["text"].encode() in request.body:
        return True, f"Your body contains {spec['text']}."
    return False, f"Your body does not contain {spec['text']}."


# --- response checks ------------------------------------------------------------------


@_check(
    "response_status",
    scope="response",
    optional=("is", "in"),
    doc="The sandbox answered with status `is` (or one of `in`).",
)
def _response_status(response: Response, spec):
    wanted = [spec["is"]] if "is" in spec else list(spec["in"])
    if response.status in wanted:
        return True, f"The server answered {_phrase(response.status)}."
    names = " or ".join(_phrase(code) for code in wanted)
    return False, f"The server answered {_phrase(response.status)}, not {names}."


@_check(
    "response_header_present",
    scope="response",
    required=("name",),
    doc="The response has this header field.",
)
def _response_header_present(response: Response, spec):
    if response.header(spec["name"]) is not None:
        return True, f"The response carries {spec['name']}: {response.header(spec['name'])}."
    return False, f"The response has no {spec['name']} header."


@_check(
    "response_header_equals",
    scope="response",
    required=("name", "is"),
    doc="The response header's value is exactly `is`.",
)
def _response_header_equals(response: Response, spec):
    value = response.header(spec["name"])
    if value == spec["is"]:
        return True, f"The response says {spec['name']}: {value}."
    return False, f"The response's {spec['name']} is {value or '(missing)'}, not {spec['is']}."


@_check(
    "response_header_matches",
    scope="response",
    required=("name", "pattern"),
    doc="The response header's value matches the regular expression `pattern` (case-insensitive).",
)
def _response_header_matches(response: Response, spec):
    value = response.header(spec["name"])
    if value is not None and re.search(spec["pattern"], value, re.IGNORECASE):
        return True, f"The response says {spec['name']}: {value}."
    return (
        False,
        f"The response's {spec['name']} is {value or '(missing)'}, which is not what this step expects.",
    )


@_check(
    "response_body_contains",
    scope="response",
    required=("text",),
    doc="The response body contains this text.",
)
def _response_body_contains(response: Response, spec):
    if spec["text"].encode() in response.body:
        return True, f"The response body contains {spec['text']}."
    return False, f"The response body does not contain {spec['text']}."


@_check(
    "response_body_empty",
    scope="response",
    doc="The response has no body (as for HEAD, 204 and 304).",
)
def _response_body_empty(response: Response, spec):
    if not response.body:
        return True, "The response has no body."
    return False, f"The response has a body of {len(response.body)} bytes."


@_check(
    "response_body_json_field",
    scope="response",
    required=("field",),
    optional=("is",),
    doc="The response body is JSON with this (dotted) field, equal to `is` if given.",
)
def _response_body_json_field(response: Response, spec):
    return _json_field_check(response.body, spec, "The response body")


def _json_field_check(body: bytes, spec, whose: str):
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


# --- exchange and step checks ---------------------------------------------------------


@_check(
    "no_errors",
    scope="exchange",
    doc="The linter found no error in the request (warnings are allowed).",
)
def _no_errors(exchange: Exchange, spec):
    errors = [d for d in exchange.diagnostics if d.severity == "error"]
    if not errors:
        return True, "Your request is well-formed: the server found no error in it."
    first = errors[0]
    return False, _pointer(first)


@_check(
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


@_check(
    "has_diagnostic",
    scope="exchange",
    required=("code",),
    doc="The linter reported this diagnostic code (for challenges about breaking a request on purpose).",
)
def _has_diagnostic(exchange: Exchange, spec):
    if any(d.code == spec["code"] for d in exchange.diagnostics):
        return True, f"The server spotted the {spec['code']} problem, as intended."
    return False, f"The server did not see a {spec['code']} problem in your request."


@_check(
    "request_count",
    scope="step",
    optional=("is", "min", "max"),
    doc="The number of requests sent in this step (pipelined requests count).",
)
def _request_count(context: Context, spec):
    count = len(context.exchanges)
    low, high = spec.get("is", spec.get("min", 0)), spec.get("is", spec.get("max", 10**6))
    if low <= count <= high:
        return True, f"You sent {_count(count, 'requests')} in this step."
    return (
        False,
        f"You sent {_count(count, 'requests')} in this step; it needs {_wanted_range(spec)}.",
    )


@_check(
    "request_header_equals_previous_response_header",
    scope="step",
    required=("request", "response"),
    doc="This step's request header `request` repeats the previous step's response header `response` (e.g. If-None-Match = ETag).",
)
def _echo_previous(context: Context, spec):
    if context.previous is None:
        return False, "There is no earlier response to compare with: do the previous step first."
    wanted = context.previous.response.header(spec["response"])
    request = context.exchanges[-1].request if context.exchanges else None
    sent = request.header(spec["request"]) if request else None
    if wanted is None:
        return False, f"The previous response had no {spec['response']} header to send back."
    if sent == wanted:
        return True, f"Your {spec['request']} repeats the server's {spec['response']} ({wanted})."
    if sent is None:
        return (
            False,
            f"Your request has no {spec['request']} header; send the {spec['response']} from the previous response ({wanted}).",
        )
    return (
        False,
        f"Your {spec['request']} is {sent}, but the previous response's {spec['response']} was {wanted}.",
    )


@_check(
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
    if before is not None and now == before:
        return (
            True,
            f"Both responses carry {spec['name']}: {now}: the server answered the retry with the same result.",
        )
    return (
        False,
        f"The previous response's {spec['name']} was {before or '(missing)'}, this one's is {now or '(missing)'}.",
    )


# --- state checks ---------------------------------------------------------------------


@_check(
    "state_book_exists",
    scope="state",
    required=("title",),
    doc="The learner's bookshop has a book with this title.",
)
def _state_book_exists(state: dict, spec):
    if any(book.get("title") == spec["title"] for book in state.get("books", [])):
        return True, f"Your bookshop now has a book titled {spec['title']!r}."
    return False, f"Your bookshop has no book titled {spec['title']!r}."


@_check(
    "state_book_missing",
    scope="state",
    required=("id",),
    doc="The learner's bookshop has no book with this id.",
)
def _state_book_missing(state: dict, spec):
    if all(book.get("id") != spec["id"] for book in state.get("books", [])):
        return True, f"Book {spec['id']} is gone from your bookshop."
    return False, f"Book {spec['id']} is still in your bookshop."


@_check(
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


@_check(
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
        return True, f"Your bookshop has {_count(count, spec['collection'])}."
    return (
        False,
        f"Your bookshop has {_count(count, spec['collection'])}; this step needs {_wanted_range(spec)}.",
    )
