"""The small resources that exist to show one piece of HTTP each: the API
root, /echo, redirects, /status/{code}, /limited (429) and /teapot."""

from ..limits import LIMITS
from ..messages import Reply
from ..render import REASONS, problem_reply, reason_for
from .common import Call, json_reply, read_only, text_reply
from .freshness import NO_STORE, PERMANENT_REDIRECT, TEMPORARY_REDIRECT

# Fields a status code is incomplete without (RFC 9110 §15, RFC 6585).
REQUIRED_FIELDS = {
    401: [("WWW-Authenticate", 'Bearer realm="sandbox"')],
    405: [("Allow", "GET, HEAD, OPTIONS")],
    407: [("Proxy-Authenticate", 'Basic realm="sandbox proxy"')],
    416: [("Content-Range", "bytes */0")],
    426: [("Upgrade", "HTTP/1.1")],
    429: [("Retry-After", "30")],
    503: [("Retry-After", "30")],
}
NO_CONTENT_STATUSES = (204, 205, 304)
MOVED = {"/old-books": 301, "/tmp-redirect": 307, "/catalog": 308}
PERMANENT = (301, 308)


@read_only
def index(call: Call) -> Reply:
    document = {
        "name": "HTTP sandbox bookshop",
        "docs": "API.md",
        "resources": {
            "/books": "the catalogue: GET (negotiated: JSON, CSV, HTML), POST to add a book",
            "/books/{id}": "one book: GET, PUT and PATCH (with If-Match), DELETE (admins)",
            "/books/{id}/excerpt": "the opening lines, with Range support",
            "/login": "POST credentials (JSON for a token, a form for a cookie)",
            "/me": "who you are",
            "/logout": "POST to forget your token or cookie",
            "/orders": "GET, or POST with an optional Idempotency-Key",
            "/admin/stats": "Basic auth, admins only",
            "/echo": "shows how the server read your request",
            "/limited": "429 after a few requests a minute",
            "/status/{code}": "any status you ask for",
            "/redirect/{code}": "a 301, 302, 303, 307 or 308 to /echo",
            "/teapot": "418",
        },
    }
    return json_reply(200, document)


@read_only
def echo(call: Call) -> Reply:
    request = call.request
    document = {
        "method": request.method,
        "target": request.target,
        "path": request.path,
        "query": request.query,
        "http_version": request.http_version,
        "headers": [[name, value] for name, value in request.headers],
        "body": request.body.decode("utf-8", "replace"),
        "content_length": len(request.body),
        "diagnostics": len(call.lint_codes),
        "diagnostic_codes": list(call.lint_codes),
    }
    return json_reply(200, document, [("Cache-Control", "no-store")])


@read_only
def teapot(call: Call) -> Reply:
    return text_reply(418, "I'm a teapot: I refuse to brew coffee (RFC 2324, RFC 7168).\n")


@read_only
def any_status(call: Call) -> Reply:
    code = int(call.params["code"])
    if not 200 <= code <= 599:
        return problem_reply(
            404, "/status/{code} answers codes from 200 to 599; 1xx are not final answers."
        )
    headers = list(REQUIRED_FIELDS.get(code, []))
    if 300 <= code < 400 and code != 304:
        headers.append(("Location", "/echo"))
    if code in NO_CONTENT_STATUSES:
        return Reply(code, headers)
    return json_reply(
        code, {"status": code, "reason": reason_for(code), "known": code in REASONS}, headers
    )


@read_only
def redirect(call: Call) -> Reply:
    code = int(call.params["code"])
    if code not in (301, 302, 303, 307, 308):
        return problem_reply(404, "/redirect/{code} knows 301, 302, 303, 307 and 308.")
    return _redirect(code, "/echo")


@read_only
def moved(call: Call) -> Reply:
    """The old names of /books, each moved with a different status."""
    query = call.request.target.split("?", 1)[1] if "?" in call.request.target else ""
    return _redirect(MOVED[call.request.path], "/books" + ("?" + query if query else ""))


# Every request to /limited counts, so no answer may be reused by a cache:
# a reused 200 would hide a count, a reused 429 a window that has ended.
COUNTED = ("Cache-Control", NO_STORE)


def limited(call: Call) -> Reply:
    window = call.state["rate_limit"]
    limit, length = LIMITS.rate_limit_requests, LIMITS.rate_limit_window_seconds
    start = window.get("window_start")
    if start is None or not start <= call.timestamp < start + length:
        window["window_start"], window["count"] = call.timestamp, 0
        start = call.timestamp
    reset = start + length - call.timestamp
    if window["count"] >= limit:
        return problem_reply(
            429,
            f"You have used all {limit} requests of this {length}-second window. Wait for Retry-After seconds.",
            headers=[("Retry-After", str(reset)), *_rate_headers(limit, length, 0, reset), COUNTED],
        )
    window["count"] += 1
    remaining = limit - window["count"]
    return json_reply(
        200,
        {"message": "Request counted.", "remaining": remaining},
        [*_rate_headers(limit, length, remaining, reset), COUNTED],
    )


RATE_POLICY = "per-minute"


def _rate_headers(limit: int, window: int, remaining: int, reset: int) -> list[tuple[str, str]]:
    """The fields of the IETF httpapi RateLimit draft (draft-ietf-httpapi-ratelimit-headers,
    revisions 08 to 11): structured-field lists naming one policy. RateLimit-Policy
    gives its quota (q) and window in seconds (w); RateLimit the requests remaining
    (r) and the seconds until the window ends (t). The draft's earlier revisions
    used RateLimit-Limit, -Remaining and -Reset instead."""
    return [
        ("RateLimit-Policy", f'"{RATE_POLICY}";q={limit};w={window}'),
        ("RateLimit", f'"{RATE_POLICY}";r={remaining};t={reset}'),
    ]


def _redirect(code: int, location: str) -> Reply:
    lifetime = PERMANENT_REDIRECT if code in PERMANENT else TEMPORARY_REDIRECT
    return text_reply(
        code,
        f"{reason_for(code)}: see {location}\n",
        [("Location", location), ("Cache-Control", lifetime)],
    )
