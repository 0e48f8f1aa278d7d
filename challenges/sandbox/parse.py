"""Reading one linted request with h11, the parser a real Python server uses.

The linter has already refused everything it knows to be wrong, and it is
stricter than h11, so h11 normally just turns the bytes into events. If h11
still objects, its `RemoteProtocolError` becomes the answer, with the status
it suggests, as a server built on h11 would send.
"""

from dataclasses import dataclass

import h11

from .chunked import without_whitespace_before_extensions
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
    try:
        head = connection.next_event()
        if type(head) is not h11.Request:
            return _ended_early()
        headers, length, chunked = [], 0, False
        for name, value in head.headers.raw_items():
            key = name.lower()
            if key == b"content-length":
                length = int(value) if value.isdigit() else -1  # h11 has checked it is digits
            elif key == b"transfer-encoding":
                chunked = True
            headers.append((name.decode("latin-1"), value.decode("latin-1")))
        # With the head read, what h11 has not processed yet is the body. A
        # Content-Length body is only counted out, never checked, so when it
        # holds exactly that many bytes h11 would hand it over as one Data
        # event and end the message: it can be taken as it is. A chunked body
        # (or one whose length disagrees) goes through h11 event by event.
        rest = connection.trailing_data[0]
        if not chunked and len(rest) == length:
            body = rest
        elif chunked and (tidied := without_whitespace_before_extensions(rest)) is not rest:
            body = _read_chunked_again(raw[: len(raw) - len(rest)] + tidied)
        else:
            body = _read_body(connection)
        if body is None:
            return _ended_early()
    except h11.RemoteProtocolError as error:
        return ParserRejection(str(error), error.error_status_hint)
    return ParsedRequest(
        method=head.method.decode("ascii"),
        target=head.target.decode("ascii"),
        http_version="1.0" if head.http_version == b"1.0" else "1.1",
        headers=headers,
        body=body,
    )


def _read_chunked_again(raw: bytes) -> bytes | None:
    """The body of `raw` as h11 reads it from the start. For a chunked body
    whose size lines had whitespace before ";" (RFC 9112 §7.1.1 allows it,
    h11 refuses it): the linter has warned about it, and the bytes h11 gets
    have it taken out, so the request is read as the RFC says."""
    connection = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMITS.input_bytes + 1)
    connection.receive_data(raw)
    connection.next_event()
    return _read_body(connection)


def _read_body(connection: h11.Connection) -> bytes | None:
    """The body as h11 reads it, or None if the message does not end within
    the bytes it was given."""
    body = []
    while True:
        event = connection.next_event()
        kind = type(event)
        if kind is h11.Data:
            body.append(event.data)
        elif kind is h11.EndOfMessage:
            return b"".join(body)
        else:
            return None


def _ended_early() -> ParserRejection:
    # NEED_DATA, PAUSED or ConnectionClosed: h11 and the framing disagree about
    # where this request ends, which the framing tests rule out.
    return ParserRejection("the request ended before h11 read all of it", 400)
