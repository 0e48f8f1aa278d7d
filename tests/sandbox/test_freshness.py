"""Explicit freshness (RFC 9111 §4.2): no answer a cache could reuse is
left to a heuristic lifetime. Walks every route with every method, and the
answers the server makes before any route is found (414, 501, 404, ...)."""

import pytest

from challenges.sandbox.api.router import ROUTES

from .routes import EXAMPLE_PATHS, bookshop_with_an_order
from .support import build, run

# RFC 9110 §15.1: the statuses a cache may reuse with a lifetime it invents.
HEURISTICALLY_CACHEABLE = {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501}
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
ADA = "Authorization: Basic YWRhOmxvdmVsYWNl"


def test_routes_walk_reaches_every_route():
    assert {resource.pattern.pattern for resource in ROUTES} == set(EXAMPLE_PATHS)


def requests_to_walk() -> list:
    requests = []
    for path in EXAMPLE_PATHS.values():
        for method in METHODS:
            for credentials in ((), (ADA,)):
                body = "{}" if method in ("POST", "PUT", "PATCH") else None
                fields = (*credentials, "Content-Type: application/json", "If-Match: *")
                requests.append(build(method, path, *fields, body=body))
    for code in sorted(HEURISTICALLY_CACHEABLE - {414, 501}):
        requests.append(build("GET", f"/status/{code}"))
    for code in (301, 302, 303, 307, 308):
        requests.append(build("GET", f"/redirect/{code}"))
    requests += [
        build("GET", "/books?author=Austen"),
        build("GET", "/books/3/excerpt", "Range: bytes=0-3"),
        build("GET", "/books/99"),
        build("GET", "/nowhere"),
        build("OPTIONS", "*"),
        build("CONNECT", "sandbox.localhost:443"),
        build("TRACE", "/books"),  # 405 from the route
        build("BREW", "/books"),  # 501 from the linter
        build("GET", "/" + "a" * 9000),  # 414
    ]
    return requests


def walk() -> list:
    state = bookshop_with_an_order()
    return [run(raw, state).exchanges[-1] for raw in requests_to_walk()]


WALKED = walk()


def test_the_walk_meets_every_heuristically_cacheable_status():
    assert {exchange.response.status for exchange in WALKED} >= HEURISTICALLY_CACHEABLE


@pytest.mark.parametrize(
    "exchange",
    [e for e in WALKED if e.response.status in HEURISTICALLY_CACHEABLE],
    ids=lambda e: f"{e.response.status} {e.raw_request.split(b' HTTP/')[0][:60].decode()}",
)
def test_every_cacheable_answer_says_how_fresh_it_is(exchange):
    response = exchange.response
    assert response.header("Cache-Control") or response.header("Expires")


@pytest.mark.parametrize(
    ("raw", "status", "cache_control"),
    [
        (build("GET", "/books"), 200, "max-age=10"),
        (build("GET", "/books?author=Austen"), 200, "max-age=10"),
        (build("HEAD", "/books"), 200, "max-age=10"),
        (build("GET", "/books/1"), 200, "max-age=60"),
        (build("GET", "/books/3/excerpt"), 200, "max-age=86400"),
        (build("GET", "/books/3/excerpt", "Range: bytes=0-3"), 206, "max-age=86400"),
        (build("GET", "/books/3/excerpt", 'If-None-Match: "excerpt-3"'), 304, "max-age=86400"),
        (build("GET", "/"), 200, "max-age=3600"),
        (build("GET", "/limited"), 200, "no-store"),
        (build("GET", "/limited") * 6, 429, "no-store"),  # every request counts
        (build("GET", "/old-books"), 301, "max-age=86400"),
        (build("GET", "/tmp-redirect"), 307, "no-cache"),
        (build("GET", "/orders"), 200, "no-cache"),
        (build("GET", "/books/99"), 404, "no-store"),
        (build("DELETE", "/books/1", ADA), 204, "no-store"),
        (build("OPTIONS", "/books"), 204, "no-store"),
        (build("BREW", "/books"), 501, "no-store"),
    ],
)
def test_each_resource_has_a_lifetime_that_suits_it(raw, status, cache_control):
    response = run(raw).exchanges[-1].response
    assert (response.status, response.header("Cache-Control")) == (status, cache_control)
