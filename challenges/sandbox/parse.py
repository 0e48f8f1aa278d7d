"""Reading one linted request with h11, the parser a real Python server uses.

The linter has already refused everything it knows to be wrong, and it is
stricter than h11, so h11 normally just turns the bytes into events. If h11
still objects, its `RemoteProtocolError` becomes the answer, with the status
it suggests, as a server built on h11 would send.
"""

from dataclasses import dataclass

import h11

from .limits import LIMITS
from .messages import ParsedRequest


@dataclass(frozen=True)
class ParserRejection:
    reason: str
    status: int


def parse_request(raw: bytes) -> ParsedRequest | ParserRejection:
    """Parse exactly one request; `raw` starts at the request line."""
    connection = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMITS.input_bytes + 1)
    connection.receive_data(raw)
    head = None
    body = []
    try:
        while True:
            event = connection.next_event()
            kind = type(event)
            if kind is h11.Request:
                head = event
            elif kind is h11.Data:
                body.append(event.data)
            elif kind is h11.EndOfMessage:
                break
            else:
                # NEED_DATA, PAUSED or ConnectionClosed: h11 and the framing disagree
                # about where this request ends, which the framing tests rule out.
                return ParserRejection("the request ended before h11 read all of it", 400)
    except h11.RemoteProtocolError as error:
        return ParserRejection(str(error), error.error_status_hint)
    return ParsedRequest(
        method=head.method.decode("ascii"),
        target=head.target.decode("ascii"),
        http_version="1.0" if head.http_version == b"1.0" else "1.1",
        headers=[
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in head.headers.raw_items()
        ],
        body=b"".join(body),
    )
