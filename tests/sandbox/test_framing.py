"""find_request_end(): exact boundaries, and a TCP server that frames a
stream with it answers exactly what process() answers for the whole input."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from challenges.sandbox import LIMITS, find_request_end, fresh_state, process
from challenges.sandbox.framing import frame_request
from challenges.sandbox.layout import COMPLETE
from challenges.sandbox.server import _may_have_changed

from .streams import BROKEN_REQUESTS, VALID_REQUESTS, split_points, streams
from .support import NOW, REPLICA, core_property, crlf

GET = crlf("GET / HTTP/1.1\nHost: x\n\n")
POST_ECHO = crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello")
CHUNKED = crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n5\nhello\n0\n\n")

TRAILER = crlf("POST /e HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n0\nX: y\n\n")
BAD_LENGTH = crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: x\n\nbody")
CL_AND_TE = crlf(
    "POST /e HTTP/1.1\nHost: x\nContent-Length: 3\nTransfer-Encoding: chunked\n\n0\n\n"
)
BAD_CHUNK = CHUNKED.replace(b"5\r\n", b"zz\r\n")
TOO_LARGE = crlf("POST /e HTTP/1.1\nHost: x\nContent-Length: 99999\n\nabc")


def head_end(stream: bytes) -> int:
    return stream.index(b"\r\n\r\n") + 4


ENDS = {
    "nothing": (b"", None),
    "empty-lines": (b"\r\n\r\n", None),
    "partial-head": (GET[:-2], None),
    "one-get": (GET, len(GET)),
    "get-then-more": (GET + b"GET /bo", len(GET)),
    "bare-lf-head": (b"GET / HTTP/1.1\nHost: x\n\n", 24),
    "leading-empty-lines": (b"\r\n" + GET, len(GET) + 2),
    "content-length-body": (POST_ECHO + GET, len(POST_ECHO)),
    "body-still-arriving": (POST_ECHO[:-1], None),
    "chunked-body": (CHUNKED + GET, len(CHUNKED)),
    "chunked-still-arriving": (CHUNKED[:-2], None),
    "chunked-trailer": (TRAILER + GET, len(TRAILER)),
    "broken-line-ends-the-request": (
        crlf("GET / HTTP/1.1\nHost : x\nAccept: */*\n\n"),
        len(b"GET / HTTP/1.1\r\nHost : x\r\n"),
    ),
    "broken-request-line-ends-before-the-head-does": (
        b"hello world\r\nmore",
        len(b"hello world\r\n"),
    ),
    "broken-head-ends-at-head": (BAD_LENGTH, head_end(BAD_LENGTH)),
    "cl-and-te-ends-at-head": (CL_AND_TE, head_end(CL_AND_TE)),
    "too-large-body-ends-at-head": (TOO_LARGE, head_end(TOO_LARGE)),
    "bad-chunk-size-ends-after-its-line": (BAD_CHUNK, head_end(BAD_CHUNK) + len(b"zz\r\n")),
    "long-request-line-cut-at-limit": (b"GET /" + b"a" * 9000, LIMITS.request_line_bytes),
    "long-request-line-not-yet": (b"GET /" + b"a" * 4000, None),
    "large-header-section-cut-at-limit": (
        b"GET / HTTP/1.1\r\nX: " + b"a" * 20000,
        16 + LIMITS.header_section_bytes,
    ),
    "empty-line-flood-cut-at-limit": (
        b"\r\n" * LIMITS.request_line_bytes,
        LIMITS.request_line_bytes,
    ),
}


@pytest.mark.parametrize(("stream", "end"), ENDS.values(), ids=ENDS.keys())
def test_find_request_end(stream: bytes, end: int | None):
    assert find_request_end(stream) == end


@pytest.mark.parametrize("request_bytes", VALID_REQUESTS + BROKEN_REQUESTS)
def test_every_prefix_of_a_request_agrees_with_the_whole(request_bytes: bytes):
    end = find_request_end(request_bytes)
    for size in range(len(request_bytes) + 1):
        expected = end if end is not None and size >= end else None
        assert find_request_end(request_bytes[:size]) == expected, size


def serve_in_reads(stream: bytes, cuts: list[int], state: dict) -> tuple[bytes, dict]:
    """What a TCP server built on find_request_end() writes back, reading
    the stream in pieces cut at `cuts`."""
    edges = [0, *cuts, len(stream)]
    reads = [stream[start:stop] for start, stop in zip(edges, edges[1:], strict=False)]
    written, buffer, served, consumed = [], b"", 0, 0
    for read in reads:
        buffer += read
        while (end := find_request_end(buffer)) is not None:
            outcome = process(
                buffer[:end],
                state,
                now=NOW,
                replica=REPLICA,
                prior_requests=served,
                prior_bytes=consumed,
            )
            written.append(outcome.raw_response)
            state, served, consumed, buffer = (
                outcome.state,
                served + len(outcome.exchanges),
                consumed + end,
                buffer[end:],
            )
            if outcome.closes_connection:
                return b"".join(written), state
    if buffer:  # the client stopped sending: the server answers what it has
        outcome = process(
            buffer, state, now=NOW, replica=REPLICA, prior_requests=served, prior_bytes=consumed
        )
        written.append(outcome.raw_response)
        state = outcome.state
    return b"".join(written), state


@core_property
@given(st.data())
def test_tcp_framing_gives_the_same_responses_as_the_whole_input(data):
    stream = data.draw(streams())
    cuts = data.draw(split_points(stream))
    state = fresh_state()
    whole = process(stream, state, now=NOW, replica=REPLICA)
    written, final_state = serve_in_reads(stream, cuts, state)
    assert written == whole.raw_response
    assert final_state == whole.state


@given(st.data())
def test_find_request_end_never_changes_its_mind(data):
    stream = data.draw(streams())
    end = find_request_end(stream)
    for size in data.draw(st.lists(st.integers(0, len(stream)), max_size=6)):
        expected = end if end is not None and size >= end else None
        assert find_request_end(stream[:size]) == expected


def test_pipelined_requests_past_the_limit_match_over_tcp():
    stream = GET * (LIMITS.pipelined_requests + 2)
    whole = process(stream, fresh_state(), now=NOW, replica=REPLICA)
    written, _ = serve_in_reads(stream, [7, 100, 101], fresh_state() | {"seed": "x"})
    assert written == whole.raw_response


@given(st.data())
def test_the_server_skips_framing_only_when_a_read_cannot_change_the_answer(data):
    """SandboxServer frames its buffer again only when `_may_have_changed()`
    says a read could matter; whenever it says no, framing finds nothing new."""
    stream = data.draw(streams())
    edges = [0, *data.draw(split_points(stream)), len(stream)]
    buffer = b""
    for start, stop in zip(edges, edges[1:], strict=False):
        chunk = stream[start:stop]
        head_done = frame_request(buffer).layout.status == COMPLETE
        buffer += chunk
        if not _may_have_changed(buffer, chunk, head_done):
            assert find_request_end(buffer) is None
        if find_request_end(buffer) is not None:
            return  # the server cuts the request here and starts on the next
