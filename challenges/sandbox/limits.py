"""The sandbox's size limits, in one place so the docs, the linter and the
TCP server all read the same numbers.

Every byte limit is enforced at a fixed position in the input (for example
"the request line must end within the first 8 KiB"), never relative to how
much happens to be buffered. That is what lets `find_request_end()` cut a
stream at the same place whatever the TCP split points were.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    # Protocol limits: exceeding one earns the status a real server would send.
    input_bytes: int = 64 * 1024  # all requests of one submission or connection: 400
    # The request line with its CRLF and any empty lines before it: 414.
    # RFC 9112 §3 recommends that servers read request lines of at least 8,000 octets.
    request_line_bytes: int = 8 * 1024
    header_section_bytes: int = 16 * 1024  # field lines and the final empty line: 431
    header_fields: int = 100  # field lines in one header section: 431
    body_bytes: int = 32 * 1024  # Content-Length, or the sum of the chunk sizes: 413
    pipelined_requests: int = 10  # requests answered on one connection; the next gets 400
    chunk_size_line_bytes: int = 1024  # one "1a;ext=x" line of a chunked body: 400

    # Caps on the learner's bookshop, so a sandbox state stays small.
    books: int = 200
    orders: int = 200
    tokens: int = 20
    sessions: int = 20
    rate_limit_requests: int = 5  # /limited answers this many per window...
    rate_limit_window_seconds: int = 60  # ...then 429 until the window is over

    def __post_init__(self):
        # One whole request at its largest (request line, header section,
        # body) must fit in what the sandbox reads from one connection, or a
        # request within every limit could still be refused as too large.
        largest_request = self.request_line_bytes + self.header_section_bytes + self.body_bytes
        if largest_request > self.input_bytes:
            raise ValueError(
                f"A request of {largest_request} bytes fits the limits but not the input."
            )


LIMITS = Limits()
