"""/books/{id}/excerpt: byte ranges (RFC 9110 §14), If-Range, and the ranges
a server cannot satisfy."""

import json

import pytest

from challenges.sandbox.api.excerpts import EXCERPTS

from .support import build, run


def response(raw: bytes):
    return run(raw).exchanges[-1].response


EXCERPT_3 = EXCERPTS[3].encode("utf-8")  # 229 bytes: the em dashes take three each


@pytest.mark.parametrize(
    ("range_value", "status", "content_range", "body"),
    [
        ("bytes=0-15", 206, "bytes 0-15/229", b"Call me Ishmael."),
        ("bytes=31-33", 206, "bytes 31-33/229", "—".encode()),
        ("bytes=-6", 206, "bytes 223-228/229", b"orld.\n"),
        ("bytes=220-", 206, "bytes 220-228/229", b"e world.\n"),
        ("bytes=0-9999", 206, "bytes 0-228/229", EXCERPT_3),
        ("bytes=228-", 206, "bytes 228-228/229", b"\n"),
        ("bytes=-500", 206, "bytes 0-228/229", EXCERPT_3),  # more than there is: all of it
        ("bytes=500-600", 416, "bytes */229", None),
        ("bytes=229-", 416, "bytes */229", None),  # open-ended, first byte just past the end
        ("bytes=500-", 416, "bytes */229", None),
        ("bytes=-0", 416, "bytes */229", None),
        ("bytes=0-1,5-6", 200, None, EXCERPT_3),
        ("bytes=500-600, 0-1", 200, None, EXCERPT_3),
        ("lines=0-1", 200, None, EXCERPT_3),
        ("bytes=9-3", 200, None, EXCERPT_3),
    ],
)
def test_excerpt_serves_byte_ranges(range_value, status, content_range, body):
    reply = response(build("GET", "/books/3/excerpt", f"Range: {range_value}"))
    assert reply.status == status
    assert reply.header("Content-Range") == content_range
    if body is not None:
        assert reply.body == body
    if status != 416:
        assert reply.header("Accept-Ranges") == "bytes"


def test_an_open_ended_range_past_the_end_is_not_satisfiable():
    size = len(EXCERPTS[6].encode("utf-8"))
    reply = response(build("GET", "/books/6/excerpt", "Range: bytes=500-"))
    assert reply.status == 416
    assert reply.header("Content-Range") == f"bytes */{size}"
    assert json.loads(reply.body)["detail"] == (
        f'The range "bytes=500-" starts past the end of the {size}-byte excerpt.'
    )


def test_a_zero_suffix_range_says_what_it_asked_for():
    reply = response(build("GET", "/books/6/excerpt", "Range: bytes=-0"))
    assert "asks for the last 0 bytes" in json.loads(reply.body)["detail"]


def test_excerpt_if_range_only_ranges_the_same_version():
    matching = response(
        build("GET", "/books/3/excerpt", "Range: bytes=0-3", 'If-Range: "excerpt-3"')
    )
    stale = response(build("GET", "/books/3/excerpt", "Range: bytes=0-3", 'If-Range: "excerpt-0"'))
    assert (matching.status, stale.status) == (206, 200)


def test_excerpt_ignores_range_on_head_and_is_whole_otherwise():
    assert response(build("GET", "/books/3/excerpt")).body == EXCERPT_3
    assert response(build("HEAD", "/books/3/excerpt", "Range: bytes=0-3")).status == 200
    assert response(build("GET", "/books/9/excerpt")).status == 404
