"""Which handler answers a parsed request.

Each resource lists the methods it implements. The router adds what HTTP
gives every resource for free: HEAD wherever GET works (the server strips the
body later), OPTIONS with Allow, and 405 with Allow for a method the resource
refuses. Methods no resource implements never get here: the linter answers
them with 501.

The state is copied on write: a handler marked `read_only` answers from the
caller's own dict, any other gets a deep copy to change, so reading a book
costs no copy of the whole bookshop and a failed handler leaves no trace.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote

from ..messages import ParsedRequest, Reply
from ..render import problem_reply
from ..state import snapshot
from . import auth, books, excerpts, freshness, misc, orders
from .common import Call

METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
SERVER_METHODS = ", ".join(METHOD_ORDER)
Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class Resource:
    pattern: re.Pattern
    methods: dict[str, Handler] = field(default_factory=dict)
    any_method: Handler | None = None  # answers every method itself (echo, redirects)
    options_fields: tuple[tuple[str, str], ...] = ()
    # Cache-Control for answers to GET and HEAD that have none (see freshness.py).
    lifetime: str = freshness.NO_STORE

    @property
    def allow(self) -> str:
        offered = set(self.methods) | {"OPTIONS"} | ({"HEAD"} if "GET" in self.methods else set())
        return ", ".join(method for method in METHOD_ORDER if method in offered)


def _resource(path: str, **kwargs) -> Resource:
    return Resource(re.compile(path), **kwargs)


ROUTES = (
    _resource(r"/", methods={"GET": misc.index}, lifetime=freshness.INDEX),
    _resource(
        r"/books",
        methods={"GET": books.list_books, "POST": books.create_book},
        options_fields=(("Accept-Post", "application/json"),),
        lifetime=freshness.BOOK_LIST,
    ),
    _resource(
        r"/books/(?P<id>[0-9]{1,9})",
        methods={
            "GET": books.get_book,
            "PUT": books.replace_book,
            "PATCH": books.patch_book,
            "DELETE": books.delete_book,
        },
        options_fields=(("Accept-Patch", books.MERGE_PATCH),),
        lifetime=freshness.BOOK,
    ),
    _resource(
        r"/books/(?P<id>[0-9]{1,9})/excerpt",
        methods={"GET": excerpts.get_excerpt},
        lifetime=freshness.EXCERPT,
    ),
    _resource(
        r"/login",
        methods={"POST": auth.login},
        options_fields=(("Accept-Post", f"application/json, {auth.FORM}"),),
    ),
    _resource(r"/logout", methods={"POST": auth.logout}),
    _resource(r"/me", methods={"GET": auth.me}),
    _resource(r"/admin/stats", methods={"GET": auth.admin_stats}),
    _resource(
        r"/orders",
        methods={"GET": orders.list_orders, "POST": orders.create_order},
        options_fields=(("Accept-Post", "application/json"),),
        lifetime=freshness.ORDER_LIST,
    ),
    _resource(
        r"/orders/(?P<id>[0-9]{1,9})",
        methods={"GET": orders.get_order},
        lifetime=freshness.ORDER,
    ),
    _resource(r"/limited", methods={"GET": misc.limited}),
    _resource(r"/teapot", methods={"GET": misc.teapot}),
    _resource(
        r"/status/(?P<code>[0-9]{3})",
        methods={
            "GET": misc.any_status,
            "POST": misc.any_status,
            "PUT": misc.any_status,
            "PATCH": misc.any_status,
            "DELETE": misc.any_status,
        },
    ),
    _resource(r"/echo", any_method=misc.echo),
    _resource(r"/redirect/(?P<code>[0-9]{3})", any_method=misc.redirect),
    _resource(r"/old-books|/tmp-redirect|/catalog", any_method=misc.moved),
)


def _literal_paths(resource: Resource) -> list[str]:
    """The paths a resource without parameters answers, for a dict lookup."""
    if any(mark in resource.pattern.pattern for mark in "()[]{}?*+.^$\\"):
        return []
    return resource.pattern.pattern.split("|")


LITERAL_ROUTES = {path: resource for resource in ROUTES for path in _literal_paths(resource)}
PATTERN_ROUTES = tuple(resource for resource in ROUTES if not _literal_paths(resource))


def respond(
    request: ParsedRequest, state: dict, now: datetime, lint_codes: tuple[str, ...] = ()
) -> tuple[Reply, dict]:
    """The bookshop's answer to one request, and the state after it: `state`
    itself when nothing could change, else a changed copy. `state` is never
    changed, so when a handler raises, the state before it is still whole.
    Every answer a cache could reuse says for how long (see freshness.py)."""
    reply, state, lifetime = _answer(request, state, now, lint_codes)
    return freshness.with_freshness(reply, request.method, lifetime), state


def _answer(
    request: ParsedRequest, state: dict, now: datetime, lint_codes: tuple[str, ...]
) -> tuple[Reply, dict, str]:
    """The handler's reply, the state after it, and the Cache-Control its resource gives successful reads."""
    if request.method == "CONNECT":
        return (
            problem_reply(
                405,
                "CONNECT asks a proxy to open a tunnel, and this server is not a proxy.",
                headers=[("Allow", SERVER_METHODS)],
            ),
            state,
            freshness.NO_STORE,
        )
    if request.path == "*":
        return Reply(204, [("Allow", SERVER_METHODS)]), state, freshness.NO_STORE
    path = unquote(request.path)
    resource, params = LITERAL_ROUTES.get(path), {}
    if resource is None:
        for candidate in PATTERN_ROUTES:
            match = candidate.pattern.fullmatch(path)
            if match:
                resource, params = candidate, match.groupdict()
                break
        else:
            return _not_found(path), state, freshness.NO_STORE
    reply, state = _dispatch(resource, Call(request, state, now, params, lint_codes))
    return reply, state, resource.lifetime


def _dispatch(resource: Resource, call: Call) -> tuple[Reply, dict]:
    method = call.request.method
    handler = resource.any_method or resource.methods.get("GET" if method == "HEAD" else method)
    if handler:
        if not getattr(handler, "read_only", False):
            call.state = snapshot(call.state)
        return handler(call), call.state
    if method == "OPTIONS":
        return Reply(204, [("Allow", resource.allow), *resource.options_fields]), call.state
    return problem_reply(
        405,
        f"{call.request.path} does not accept {method}; it allows {resource.allow}.",
        headers=[("Allow", resource.allow)],
    ), call.state


def _not_found(path: str) -> Reply:
    detail = f"There is nothing at {path}."
    trimmed = path.rstrip("/")
    if trimmed != path and any(resource.pattern.fullmatch(trimmed) for resource in ROUTES):
        detail += f" Did you mean {trimmed}, without the trailing slash?"
    else:
        detail += " GET / lists what there is."
    return problem_reply(404, detail)
