"""A concrete path for every route of the bookshop, so that tests can walk
them all (test_routes_walk_reaches_every_route keeps the table complete)."""

import json

from .support import build, run

EXAMPLE_PATHS = {
    "/": "/",
    "/books": "/books",
    "/books/(?P<id>[0-9]{1,9})": "/books/1",
    "/books/(?P<id>[0-9]{1,9})/excerpt": "/books/3/excerpt",
    "/login": "/login",
    "/logout": "/logout",
    "/me": "/me",
    "/admin/stats": "/admin/stats",
    "/orders": "/orders",
    "/orders/(?P<id>[0-9]{1,9})": "/orders/1",
    "/limited": "/limited",
    "/teapot": "/teapot",
    "/status/(?P<code>[0-9]{3})": "/status/200",
    "/echo": "/echo",
    "/redirect/(?P<code>[0-9]{3})": "/redirect/301",
    "/old-books|/tmp-redirect|/catalog": "/old-books",
}


def bookshop_with_an_order() -> dict:
    """A fresh bookshop in which /orders/1 exists."""
    order = build(
        "POST", "/orders", "Content-Type: application/json", body=json.dumps({"book_id": 1})
    )
    return run(order).state
