"""Conditional requests (RFC 9110 §13), on every resource that sends a
validator: one table of preconditions, walked over each such route, so a
route that sends ETag or Last-Modified and ignores a precondition fails here."""

import json
from datetime import timedelta
from email.utils import format_datetime

import pytest

from challenges.sandbox import fresh_state
from challenges.sandbox.api.conditional import parse_http_date

from .routes import EXAMPLE_PATHS, bookshop_with_an_order
from .support import build, run

JSON = "Content-Type: application/json"
ADA = "Authorization: Basic YWRhOmxvdmVsYWNl"  # ada:lovelace, an admin


def last(raw: bytes, state: dict | None = None):
    return run(raw, state).exchanges[-1].response


def http_date(moment) -> str:
    return format_datetime(moment, usegmt=True)


def validator_routes() -> list[tuple[str, object]]:
    """(path, the 200 to a plain GET) for every route whose GET sends a validator."""
    state = bookshop_with_an_order()
    found = []
    for path in EXAMPLE_PATHS.values():
        reply = last(build("GET", path, ADA), state)
        if reply.status == 200 and (reply.header("ETag") or reply.header("Last-Modified")):
            found.append((path, reply))
    return found


VALIDATOR_ROUTES = validator_routes()


def test_the_walk_finds_the_routes_that_send_validators():
    assert {path for path, _ in VALIDATOR_ROUTES} >= {"/books/1", "/books/3/excerpt"}


# Each row: the fields (with {etag}, {weak}, {before} and {after} filled in
# from the route's own 200), the method, and the status RFC 9110 §13.2.2 gives.
# `needs` says which validator the row tests.
PRECONDITIONS = [
    ("etag", "GET", ["If-None-Match: {etag}"], 304),
    ("etag", "HEAD", ["If-None-Match: {etag}"], 304),
    ("etag", "GET", ["If-None-Match: {weak}"], 304),  # If-None-Match compares weakly
    ("etag", "GET", ['If-None-Match: "other", {etag}'], 304),
    ("etag", "GET", ["If-None-Match: *"], 304),
    ("etag", "HEAD", ["If-None-Match: *"], 304),
    ("etag", "GET", ['If-None-Match: "other"'], 200),
    ("etag", "GET", ["If-None-Match: {etag}", "Range: bytes=0-3"], 304),
    ("etag", "GET", ["If-None-Match: *", "Range: bytes=0-3"], 304),
    ("etag", "GET", ["If-Match: {etag}"], 200),
    ("etag", "GET", ["If-Match: *"], 200),
    ("etag", "GET", ['If-Match: "other"'], 412),
    ("etag", "HEAD", ['If-Match: "other"'], 412),
    ("etag", "GET", ["If-Match: {weak}"], 412),  # If-Match compares strongly
    ("etag", "GET", ["If-Match: {etag}", "If-None-Match: {etag}"], 304),
    ("etag", "GET", ['If-Match: "other"', "If-None-Match: {etag}"], 412),  # If-Match first
    ("etag", "GET", ['If-Match: "other"', "Range: bytes=0-3"], 412),
    ("date", "GET", ["If-Modified-Since: {after}"], 304),
    ("date", "HEAD", ["If-Modified-Since: {after}"], 304),
    ("date", "GET", ["If-Modified-Since: {before}"], 200),
    ("date", "GET", ["If-Modified-Since: {after}", "If-Modified-Since: {after}"], 200),
    ("date", "GET", ["If-Unmodified-Since: {before}"], 412),
    ("date", "GET", ["If-Unmodified-Since: {after}"], 200),
    ("date", "GET", ["If-Unmodified-Since: not a date"], 200),
    # If-Unmodified-Since is ignored when If-Match is there (§13.1.4).
    ("both", "GET", ["If-Match: {etag}", "If-Unmodified-Since: {before}"], 200),
    # If-Modified-Since is ignored when If-None-Match is there (§13.1.3).
    ("both", "GET", ['If-None-Match: "other"', "If-Modified-Since: {after}"], 200),
    ("both", "GET", ["If-None-Match: {etag}", "If-Modified-Since: {before}"], 304),
    ("both", "GET", ["If-Unmodified-Since: {before}", "If-None-Match: {etag}"], 412),
]


def fill(fields: list[str], reply) -> list[str]:
    etag = reply.header("ETag") or '"none"'
    modified = parse_http_date(reply.header("Last-Modified") or "")
    values = {"etag": etag, "weak": f"W/{etag}"}
    if modified:
        values["before"] = http_date(modified - timedelta(days=1))
        values["after"] = http_date(modified + timedelta(seconds=1))
    return [field.format(**values) for field in fields]


def applies(needs: str, reply) -> bool:
    has = {"etag": reply.header("ETag"), "date": reply.header("Last-Modified")}
    return all(has[name] for name in has if needs in (name, "both"))


WALK = [
    pytest.param(path, plain, method, fields, status, id=f"{path} {method} {' + '.join(fields)}")
    for path, plain in VALIDATOR_ROUTES
    for needs, method, fields, status in PRECONDITIONS
    if applies(needs, plain)
]


@pytest.mark.parametrize(("path", "plain", "method", "fields", "status"), WALK)
def test_every_validator_route_honours_every_precondition(path, plain, method, fields, status):
    reply = last(build(method, path, ADA, *fill(fields, plain)), bookshop_with_an_order())
    assert reply.status == status
    if status == 304:
        assert reply.body == b"" and reply.header("Content-Length") is None
        for name in ("ETag", "Cache-Control", "Vary"):
            assert reply.header(name) == plain.header(name), name
    if status == 412:
        assert reply.header("Content-Type") == "application/problem+json"


def test_the_walk_covers_dates_too():
    assert any(applies("both", plain) for _, plain in VALIDATOR_ROUTES)


RANGED = [(path, plain) for path, plain in VALIDATOR_ROUTES if plain.header("Accept-Ranges")]


# If-Range (§13.1.5): a strong, exact match sends the range; anything else the whole 200.
@pytest.mark.parametrize(("path", "plain"), RANGED, ids=[p for p, _ in RANGED])
@pytest.mark.parametrize(
    ("fields", "status"),
    [
        (["Range: bytes=0-3"], 206),
        (["Range: bytes=0-3", "If-Range: {etag}"], 206),
        (["Range: bytes=0-3", "If-Range: {weak}"], 200),
        (["Range: bytes=0-3", 'If-Range: "other"'], 200),
        (["Range: bytes=0-3", "If-Range: Sun, 06 Nov 1994 08:49:37 GMT"], 200),
        (["Range: bytes=0-3", "If-Range: {etag}", "If-Range: {etag}"], 200),
        (["Range: bytes=0-3", 'If-None-Match: "other"', "If-Range: {etag}"], 206),
        (["If-Range: {etag}"], 200),  # If-Range without Range is ignored
        (["Range: bytes=9999-", 'If-Range: "other"'], 200),  # stale: no 416 either
    ],
)
def test_if_range_falls_back_to_the_whole_representation(path, plain, fields, status):
    reply = last(build("GET", path, *fill(fields, plain)))
    assert reply.status == status
    if status == 200:
        assert reply.body == plain.body and reply.header("Content-Range") is None


def test_the_walk_finds_a_route_with_ranges():
    assert [path for path, _ in RANGED] == ["/books/3/excerpt"]


def test_a_ranged_book_never_has_a_date_validator_so_if_range_dates_fail():
    reply = last(
        build(
            "GET",
            "/books/3/excerpt",
            "Range: bytes=0-3",
            "If-Range: {}".format("Sat, 01 Mar 2025 12:00:00 GMT"),
        )
    )
    assert reply.status == 200


BOOK_1 = json.dumps(
    {"title": "Pride and Prejudice", "author": "Jane Austen", "year": 1813, "isbn": None}
)


# Writes evaluate the same preconditions against the book's current state,
# and a precondition that fails is 412 whatever the field (§13.2.2 step 3).
@pytest.mark.parametrize(
    ("method", "fields", "status"),
    [
        ("PUT", ['If-Match: "book-1-v1"'], 200),
        ("PUT", ['If-Match: "book-1-v1-html"'], 200),  # another variant names the same state
        ("PUT", ["If-Match: *", "If-None-Match: *"], 412),
        ("PUT", ["If-Match: *", 'If-None-Match: "book-1-v1-csv"'], 412),
        ("PUT", ["If-Match: *", 'If-None-Match: "book-1-v0"'], 200),
        ("PUT", ["If-Match: *", "If-Unmodified-Since: Sun, 14 Jan 2024 00:00:00 GMT"], 200),
        ("PUT", ["If-Match: *", "If-Modified-Since: Sat, 01 Mar 2025 12:00:00 GMT"], 200),
        ("DELETE", ["If-Unmodified-Since: Sun, 14 Jan 2024 00:00:00 GMT"], 412),
        ("DELETE", ["If-Unmodified-Since: Sat, 01 Mar 2025 12:00:00 GMT"], 204),
        ("DELETE", ['If-None-Match: "book-1-v1"'], 412),
        ("DELETE", ["If-Modified-Since: Sat, 01 Mar 2025 12:00:00 GMT"], 204),  # GET/HEAD only
    ],
)
def test_writes_honour_every_precondition(method, fields, status):
    body = BOOK_1 if method == "PUT" else None
    extra = [JSON] if method == "PUT" else []
    reply = last(build(method, "/books/1", ADA, *extra, *fields, body=body))
    assert reply.status == status


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (['If-Match: "book-1-v9"'], ['If-Match: \\"book-1-v9\\" names', '\\"book-1-v1\\"']),
        (["If-Match: book-1-v1"], ["holds no entity tag", "double quotes"]),
        (
            ["If-Unmodified-Since: Sun, 14 Jan 2024 00:00:00 GMT"],
            ["If-Unmodified-Since", "changed"],
        ),
        (['If-None-Match: "book-1-v1"'], ["If-None-Match", "matches book 1"]),
    ],
)
def test_a_412_says_which_precondition_failed(fields, words):
    reply = last(build("DELETE", "/books/1", ADA, *fields))
    assert reply.status == 412
    detail = json.dumps(json.loads(reply.body)["detail"])
    for word in words:
        assert word in detail
    assert reply.header("ETag") == '"book-1-v1"'


def test_preconditions_wait_for_the_checks_that_come_first():
    # §13.2.1: without the precondition the answer would be 404, 406 or 415,
    # so the precondition is not evaluated at all.
    assert last(build("GET", "/books/99", 'If-Match: "x"')).status == 404
    assert last(build("GET", "/books/1", "Accept: image/png", 'If-Match: "x"')).status == 406
    assert last(build("GET", "/books/9/excerpt", "If-None-Match: *")).status == 404
    wrong_type = build("PUT", "/books/1", 'If-Match: "x"', "Content-Type: text/plain", body="x")
    assert last(wrong_type).status == 415


def test_the_state_is_unchanged_by_a_failed_precondition():
    state = fresh_state()
    outcome = run(build("DELETE", "/books/1", ADA, 'If-Match: "book-1-v0"'), state)
    assert outcome.exchanges[-1].response.status == 412
    assert [book["id"] for book in outcome.state["books"]] == [1, 2, 3, 4, 5, 6]


# If-None-Match compares with the representation the request selects
# (§13.1.2); If-Match accepts any current one, each naming the same state.
@pytest.mark.parametrize(
    ("fields", "status"),
    [
        (['If-None-Match: "book-1-v1-csv"'], 304),
        (['If-None-Match: "book-1-v1"'], 200),
        (['If-Match: "book-1-v1"'], 200),
        (['If-Match: "book-1-v0-csv"'], 412),
    ],
)
def test_a_negotiated_book_is_compared_with_its_own_representation(fields, status):
    reply = last(build("GET", "/books/1", "Accept: text/csv", *fields))
    assert reply.status == status
    if status == 304:
        assert reply.header("ETag") == '"book-1-v1-csv"' and reply.header("Vary") == "Accept"
