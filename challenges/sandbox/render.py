"""Turning a handler's Reply into the exact bytes a server writes.

Every response gets the same server-owned fields in the same order (Date,
Server, X-Served-By, the handler's fields, Content-Length, Connection), so two
runs with the same clock and replica produce identical bytes.
"""

from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache

from .diagnostics import CODES
from .jsontext import pretty_json
from .messages import Reply, Response

SERVER_NAME = "http-sandbox/1"
PROBLEM_JSON = "application/problem+json"

# RFC 9110 §15 wording (Python's http.HTTPStatus still has the older names).
REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    203: "Non-Authoritative Information",
    204: "No Content",
    205: "Reset Content",
    206: "Partial Content",
    300: "Multiple Choices",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    305: "Use Proxy",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    407: "Proxy Authentication Required",
    408: "Request Timeout",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    416: "Range Not Satisfiable",
    417: "Expectation Failed",
    418: "I'm a teapot",
    421: "Misdirected Request",
    422: "Unprocessable Content",
    425: "Too Early",
    426: "Upgrade Required",
    428: "Precondition Required",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
    507: "Insufficient Storage",
    508: "Loop Detected",
    511: "Network Authentication Required",
}
BODILESS = (204, 304)


def reason_for(status: int) -> str:
    return REASONS.get(status, "Unknown")


@lru_cache(maxsize=256)  # a server formats the same second many times over
def http_date(moment: datetime) -> str:
    """IMF-fixdate, the only date format a server may generate (RFC 9110 §5.6.7)."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def finalize(
    reply: Reply, *, head_request: bool, now: datetime, replica: str, connection: str | None
) -> Response:
    """The Response for `reply`, with the server's own fields added.

    `connection` is "close", "keep-alive" (for an HTTP/1.0 client that asked
    for it) or None.
    """
    status, body = reply.status, reply.body
    date = http_date(now)
    headers = [("Date", date), ("Server", SERVER_NAME), ("X-Served-By", replica), *reply.headers]
    if status in BODILESS:
        body = b""
    else:
        headers.append(("Content-Length", str(len(body))))
    if connection:
        headers.append(("Connection", connection))
    if head_request:
        body = b""
    reason = REASONS.get(status, "Unknown")
    lines = "".join([f"{name}: {value}\r\n" for name, value in headers])
    head = f"HTTP/1.1 {status} {reason}\r\n{lines}\r\n"
    return Response(status, reason, headers, body, head.encode("latin-1") + body)


def json_body(document) -> bytes:
    return (pretty_json(document) + "\n").encode("utf-8")


def problem_reply(status: int, detail: str, headers=(), **extensions) -> Reply:
    """An RFC 9457 problem details document."""
    document = {
        "type": "about:blank",
        "title": reason_for(status),
        "status": status,
        "detail": detail,
    }
    document.update(extensions)
    return Reply(status, [("Content-Type", PROBLEM_JSON), *headers], json_body(document))


def protocol_error_reply(code: str, status: int) -> Reply:
    """The answer to a request the server could not read. The body names the
    code and its one-line title only, never the learner's bytes, so the same
    mistake gets the same bytes however the input was split. It is about
    these bytes, not about a resource, so no cache may keep it."""
    return problem_reply(
        status, CODES[code].title + ".", headers=[("Cache-Control", "no-store")], code=code
    )
