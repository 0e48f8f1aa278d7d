"""Where one request ends in a stream of bytes.

`find_request_end()` is the single authority on framing: `process()` splits
its input with it, and the TCP server frames its connection with it (through
`frame_request_safely()`, which never raises). Every
answer depends only on bytes before the returned index, and every cut made
for a broken request lies at a fixed position (the end of a limit, the end of
a broken head, the two bytes after a chunk). So for any split of a stream
into reads, calling it after each read finds exactly the boundaries it finds
in the whole input, and each request gets the same response.

How a TCP server mirrors `process()` on one connection:

    buffer = b""
    for each read:
        if not buffer: served = consumed = 0  # all answered: what comes now is not pipelined
        buffer += read
        while (end := find_request_end(buffer)) is not None:
            outcome = process(buffer[:end], state, prior_requests=served, prior_bytes=consumed)
            write outcome.raw_response; state = outcome.state
            served += len(outcome.exchanges); consumed += end; buffer = buffer[end:]
            if outcome.closes_connection: close
    on EOF or idle timeout: process(buffer, ...) gives the 408 or 400 a real server sends

(The counts start again when everything sent is answered, so only requests
sent without waiting share the limits on pipelining; a stream sent at once
meets them exactly where the whole input does.)

Framing a request means linting its head (a broken line or a broken head ends
it early), so `frame_request()` hands back the layout and the lint it made
(a `Frame`) with the end: `process()` judges the request from them instead
of linting the same head again. Well-formed heads, the common case, are read
at once by clean_head.py.
"""

from .chunked import scan_chunked
from .clean_head import read_clean_head
from .diagnostics import first_error
from .guard import FRAMING, report_failure
from .layout import COMPLETE, INCOMPLETE, HeadLayout, scan_head
from .lint import Frame, broken_line_end, end_of_line_with, lint_head

# The last buffer framed and its Frame. A TCP server frames its buffer and then
# hands the same bytes object to process(), which frames it again: this lets
# the second call reuse the first one's work. It is keyed by identity (the
# entry holds the buffer, so its id cannot be reused) and only for immutable
# bytes, so it can never answer for different bytes.
_last_framed: tuple[bytes | None, Frame | None] = (None, None)


def find_request_end(buffer: bytes) -> int | None:
    """The index just past the first request in `buffer`, or None if more
    bytes are needed to know.

    A broken request ends early, because a server answers it with an error
    and closes the connection without reading on: after the first line that
    is wrong on its own (the framing does not wait for the rest of the head),
    at the limit a head overruns, or after a head whose fields are wrong
    together (the body is not read).
    """
    return frame_request(buffer).end


def frame_request(buffer: bytes) -> Frame:
    """`find_request_end()`, with the layout and lint of the head it found."""
    global _last_framed
    framed, frame = _last_framed
    if framed is buffer:
        return frame
    if type(buffer) is not bytes:
        return _frame(bytes(buffer))
    frame = _frame(buffer)
    _last_framed = (buffer, frame)
    return frame


def frame_request_safely(buffer: bytes) -> Frame:
    """`frame_request()` for the TCP server: it never raises. When framing
    fails, the failure is logged once and the whole buffer is one request
    (its `failure` holds the input's hash): the server hands it to the
    handler, whose `process()` finds this Frame again for the same bytes
    object and answers 500 without logging a second time."""
    global _last_framed
    try:
        return frame_request(buffer)
    except Exception as error:  # the learner must still get an answer
        frame = Frame(
            len(buffer), HeadLayout(INCOMPLETE, 0), failure=report_failure(buffer, FRAMING, error)
        )
        if type(buffer) is bytes:
            _last_framed = (buffer, frame)
        return frame


def _frame(buffer: bytes) -> Frame:
    clean = read_clean_head(buffer)
    if clean is not None:
        layout, head = clean
    else:
        layout = scan_head(buffer)
        if layout.status != COMPLETE:
            broken = broken_line_end(buffer, layout)
            return Frame(broken if broken is not None else layout.cut, layout)
        head = lint_head(buffer, layout)
    broken = end_of_line_with(first_error(head.line_findings), layout)
    if broken is not None:
        return Frame(broken, layout, head)
    if head.fatal:
        return Frame(layout.head_end, layout, head)
    if head.framing.chunked:
        chunks = scan_chunked(buffer, layout.head_end)
        return Frame(chunks.end, layout, head, chunks)
    end = layout.head_end + (head.framing.content_length or 0)
    return Frame(end if len(buffer) >= end else None, layout, head)
