"""Whatever the bytes, process() answers like a server: it never raises, every
response parses, every diagnostic points into the learner's text, and the
state it was given is left alone."""

import copy
import json
import re
from urllib.parse import urlsplit

from hypothesis import example, find, given, settings
from hypothesis import strategies as st

from challenges.sandbox import fresh_state

from .streams import mutated, requests_with_hosts, streams
from .support import assert_well_formed, build, core_property, run

STATE = fresh_state()


def check(raw: bytes) -> None:
    state_copy = copy.deepcopy(STATE)
    outcome = run(raw, STATE)
    assert_well_formed(raw, outcome, STATE, state_copy)


@core_property
@given(st.binary(max_size=400))
def test_any_bytes_get_well_formed_answers(raw: bytes):
    check(raw)


@core_property
@given(mutated())
def test_mutated_requests_get_well_formed_answers(raw: bytes):
    check(raw)


@core_property
@given(streams())
@example(b"\rHEAD /books/2 HTTP/1.1\r\nHost: x\r\n\r\n")  # a lone CR is not an empty line
def test_pipelined_streams_get_well_formed_answers(raw: bytes):
    check(raw)


@core_property
@given(requests_with_hosts())
@example(b"GET / HTTP/1.1\r\nHost: [/\r\n\r\n")  # once a ValueError from urlsplit
def test_any_host_value_gets_well_formed_answers(raw: bytes):
    check(raw)


OLD_HOST_VALUE = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(:[0-9]*)?")


def _old_invalid_host_raised(raw: bytes) -> bool:
    """Whether the Host check before issue 11 (urlsplit on an invalid value
    with a slash) raised on this request."""
    value = raw.split(b"\r\nHost: ", 1)[1].split(b"\r\n", 1)[0].decode("latin-1")
    if OLD_HOST_VALUE.fullmatch(value) or not ("://" in value or "/" in value):
        return False
    try:
        urlsplit(value if "://" in value else "//" + value)
    except ValueError:
        return True
    return False


def test_the_host_strategy_finds_the_old_urlsplit_crash():
    """The old strategies missed "Host: [/" in 10,000 examples; this one finds
    an input that crashed the old Host check within a few hundred."""
    found = find(
        requests_with_hosts(),
        _old_invalid_host_raised,
        settings=settings(max_examples=2000, database=None, deadline=None),
    )
    assert _old_invalid_host_raised(found)
    check(found)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "author",
                    "year",
                    "isbn",
                    "id",
                    "book_id",
                    "quantity",
                    "username",
                    "password",
                    "extra",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=8,
)
FIELD_VALUES = {
    "Accept": [
        "application/json",
        "text/csv;q=0.5, text/html",
        "image/png",
        "*/*;q=0",
        "text/*",
        "json",
    ],
    "Content-Type": [
        "application/json",
        "application/merge-patch+json",
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/json; charset=utf-8",
    ],
    "If-Match": ['"book-1-v1"', "*", "book-1-v1", 'W/"book-1-v1"'],
    "If-None-Match": ['"book-1-v1"', "*", '"x", "book-1-v1"'],
    "If-Modified-Since": [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sat, 01 Mar 2025 12:00:00 GMT",
        "yesterday",
    ],
    "If-Unmodified-Since": ["Sun, 06 Nov 1994 08:49:37 GMT", "Mon, 01 Jan 99999 00:00:00 GMT"],
    "If-Range": ['"excerpt-1"', "Sun, 06 Nov 1994 08:49:37 GMT"],
    "Range": ["bytes=0-9", "bytes=-5", "bytes=500-", "bytes=0-1,4-5", "items=0-1", "bytes=9-3"],
    "Authorization": [
        "Basic YWRhOmxvdmVsYWNl",
        "Basic Z3JhY2U6aG9wcGVy",
        "Bearer nope",
        "Digest x",
        "Basic ====",
    ],
    "Cookie": ["session=abc", "a=b; session=", "session"],
    "Idempotency-Key": ['"k-1"', "k-1", '""'],
    "Connection": ["close", "keep-alive", "Upgrade"],
}
TARGETS = [
    "/",
    "/books",
    "/books?author=a&page=2&per_page=1",
    "/books?page=0",
    "/books/1",
    "/books/999",
    "/books/2/excerpt",
    "/books/9/excerpt",
    "/login",
    "/logout",
    "/me",
    "/admin/stats",
    "/orders",
    "/orders/1",
    "/limited",
    "/teapot",
    "/status/200",
    "/status/304",
    "/status/401",
    "/status/99",
    "/echo",
    "/redirect/307",
    "/redirect/300",
    "/old-books?x=1",
    "/catalog",
    "/nope",
    "/books/",
    "*",
]
ANY_VALUE = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"), max_size=30
)


@st.composite
def api_requests(draw) -> bytes:
    method = draw(
        st.sampled_from(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
    )
    target = draw(st.sampled_from(TARGETS))
    if target == "*":
        method = "OPTIONS"
    names = draw(st.lists(st.sampled_from(sorted(FIELD_VALUES)), unique=True, max_size=5))
    fields = [
        f"{name}: {draw(st.sampled_from(FIELD_VALUES[name]) | ANY_VALUE).strip()}" for name in names
    ]
    body = draw(st.none() | st.binary(max_size=60) | JSON_VALUES.map(json.dumps))
    return build(method, target, *fields, body=body)


@given(st.lists(api_requests(), min_size=1, max_size=3))
def test_bookshop_answers_any_well_formed_request(requests: list[bytes]):
    raw = b"".join(requests)
    check(raw)
