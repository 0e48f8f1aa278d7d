"""What every bookshop handler shares: the call it receives and the small
helpers that build replies and read request bodies."""

import json
from dataclasses import dataclass, field
from datetime import datetime

from ..messages import ParsedRequest, Reply
from ..render import json_body, problem_reply

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"


@dataclass(slots=True)
class Call:
    request: ParsedRequest
    state: dict  # the learner's state: read-only handlers must not change it (see router.py)
    now: datetime
    params: dict[str, str] = field(default_factory=dict)
    lint_codes: tuple[str, ...] = ()  # what the linter said about this request

    @property
    def timestamp(self) -> int:
        return int(self.now.timestamp())


def read_only(handler):
    """Mark a handler that never changes the state, so the router lets it
    read the caller's dict instead of a copy. Unmarked handlers get a copy."""
    handler.read_only = True
    return handler


def json_reply(status: int, document, headers=()) -> Reply:
    return Reply(status, [("Content-Type", JSON), *headers], json_body(document))


def text_reply(status: int, text: str, headers=()) -> Reply:
    return Reply(status, [("Content-Type", TEXT), *headers], text.encode("utf-8"))


def media_type(request: ParsedRequest) -> str | None:
    """The Content-Type without parameters, lower-cased (media types are
    case-insensitive), or None."""
    value = request.header("Content-Type")
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower()


def length_required(request: ParsedRequest) -> Reply | None:
    """411 when a request that needs a body does not say how long it is."""
    if (
        request.header("Content-Length") is not None
        or request.header("Transfer-Encoding") is not None
    ):
        return None
    return problem_reply(
        411,
        f"{request.method} {request.path} needs a body, and this request has neither Content-Length nor "
        "Transfer-Encoding, so the server cannot tell where a body would end. Add Content-Length with the "
        "body's size in bytes.",
    )


def unsupported_media_type(request: ParsedRequest, accepted: list[str], advertise: str) -> Reply:
    sent = request.header("Content-Type")
    said = f"Content-Type {sent}" if sent else "no Content-Type"
    return problem_reply(
        415,
        f"This request has {said}; {request.method} {request.path} accepts {' or '.join(accepted)}.",
        headers=[(advertise, ", ".join(accepted))],
    )


def read_json(request: ParsedRequest) -> tuple[object, Reply | None]:
    """The body as JSON, or a 400 problem that says where it went wrong."""
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, problem_reply(
            400, f"The body is not valid UTF-8 (byte {error.start}); JSON text is always UTF-8."
        )
    if not text.strip():
        return None, problem_reply(
            400, "The body is empty, but this resource needs a JSON document."
        )
    try:
        return json.loads(text, parse_constant=_reject_constant), None
    except json.JSONDecodeError as error:
        return None, problem_reply(
            400,
            f"The body is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
            line=error.lineno,
            column=error.colno,
        )
    except (ValueError, RecursionError):
        return None, problem_reply(
            400, "The body is not JSON this server can read (NaN, Infinity, or nested too deeply)."
        )


def _reject_constant(name: str):
    raise ValueError(name)


def invalid_fields(errors: list[dict]) -> Reply:
    """422 Unprocessable Content: well-formed JSON that does not fit."""
    summary = "; ".join(f"{error['field']}: {error['detail']}" for error in errors)
    return problem_reply(422, f"The document is valid JSON, but: {summary}.", errors=errors)
