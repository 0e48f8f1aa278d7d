"""Where one request ends in a stream of bytes.

`find_request_end()` is the single authority on framing: `process()` splits
its input with it, and the TCP server frames its connection with it. Every
answer depends only on bytes before the returned index, and every cut made
for a broken request lies at a fixed position (the end of a limit, the end of
a broken head, the two bytes after a chunk). So for any split of a stream
into reads, calling it after each read finds exactly the boundaries it finds
in the whole input, and each request gets the same response.

How a TCP server mirrors `process()` on one connection:

    buffer = b""
    for each read:
        buffer += read
        while (end := find_request_end(buffer)) is not None:
            outcome = process(buffer[:end], state, prior_requests=served, prior_bytes=consumed)
            write outcome.raw_response; state = outcome.state
            served += len(outcome.exchanges); consumed += end; buffer = buffer[end:]
            if outcome.closes_connection: close
    on EOF or idle timeout: process(buffer, ...) gives the 408 or 400 a real server sends
"""

from .chunked import scan_chunked
from .diagnostics import first_error
from .layout import COMPLETE, scan_head
from .lint import broken_line_end, end_of_line_with, lint_head


def find_request_end(buffer: bytes) -> int | None:
    """The index just past the first request in `buffer`, or None if more
    bytes are needed to know.

    A broken request ends early, because a server answers it with an error
    and closes the connection without reading on: after the first line that
    is wrong on its own (the framing does not wait for the rest of the head),
    at the limit a head overruns, or after a head whose fields are wrong
    together (the body is not read).
    """
    buffer = bytes(buffer)
    layout = scan_head(buffer)
    if layout.status != COMPLETE:
        broken = broken_line_end(buffer, layout)
        return broken if broken is not None else layout.cut
    head = lint_head(buffer, layout)
    broken = end_of_line_with(first_error(head.line_findings), layout)
    if broken is not None:
        return broken
    if head.fatal:
        return layout.head_end
    if head.framing.chunked:
        return scan_chunked(buffer, layout.head_end).end
    end = layout.head_end + (head.framing.content_length or 0)
    return end if len(buffer) >= end else None
