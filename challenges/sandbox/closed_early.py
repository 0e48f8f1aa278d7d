"""The answer to a request whose client closed its side before finishing it.

`process()` reads its input as everything a client sent and then waited
with: an unfinished request there is one a server gives up on, with 408
Request Timeout. Over TCP the server can also see the end of the stream. Then
nothing timed out: no more bytes can come, so the request is simply
incomplete, and a server answers 400 (RFC 9112 §8). `answered_as_closed()`
turns the first outcome into the second; only the TCP server calls it, since
only it knows how the input ended.
"""

from email.utils import parsedate_to_datetime

from .diagnostics import CODES, ERROR, Diagnostic
from .messages import Exchange, Outcome
from .render import finalize, protocol_error_reply

__all__ = ["answered_as_closed"]

CLOSED_EARLY = "client-closed-early"
# What was missing when the client closed, and how to send it, per the finding
# that decided the 408.
_MISSING = {
    "unterminated-head": (
        "before the empty line that ends the head",
        "End the head with an empty line (CRLF twice after the last field) before closing.",
    ),
    "content-length-longer-than-body": (
        "before the whole body had arrived: Content-Length promises more bytes than came",
        "Send the whole body, or make Content-Length count exactly the bytes you send.",
    ),
    "incomplete-chunked-body": (
        "before the chunked body's last chunk (a line with 0, then an empty line)",
        "End the body with 0, CRLF and CRLF before closing.",
    ),
}


def answered_as_closed(outcome: Outcome) -> Outcome:
    """Return `outcome` as it is when the client closed its side right after the
    input: a last request left unfinished gets 400 and a `client-closed-early`
    diagnostic in place of 408 and the finding about waiting."""
    last = outcome.exchanges[-1] if outcome.exchanges else None
    if last is None or last.response.status != 408:
        return outcome
    cause = next((d for d in last.diagnostics if d.code in _MISSING and d.severity == ERROR), None)
    if cause is None:
        return outcome
    what, repair = _MISSING[cause.code]
    message = (
        f"The client closed its side of the connection {what}. Nothing timed out: the server saw the end "
        "of the stream, so it knows the rest will never come, and it answers the incomplete request with "
        "400 Bad Request before closing (RFC 9112 §8). A client that stays silent without closing gets "
        f"408 Request Timeout instead. {repair}"
    )
    info = CODES[CLOSED_EARLY]
    closed = Diagnostic(
        CLOSED_EARLY, cause.line, cause.column, info.severity, message, info.rfc, cause.fix
    )
    exchange = Exchange(
        last.request,
        _refusal(last),
        [closed if d is cause else d for d in last.diagnostics],
        last.raw_request,
        True,
    )
    return Outcome(
        [closed if d is cause else d for d in outcome.diagnostics],
        [*outcome.exchanges[:-1], exchange],
        outcome.state,
    )


def _refusal(last: Exchange):
    """The 400 with the same Date and replica as the 408 it replaces."""
    fields = dict(last.response.headers)
    head_request = last.raw_request.lstrip(b"\r\n").startswith(b"HEAD ")
    return finalize(
        protocol_error_reply(CLOSED_EARLY, CODES[CLOSED_EARLY].status),
        head_request=head_request,
        now=parsedate_to_datetime(fields["Date"]),
        replica=fields["X-Served-By"],
        connection="close",
    )
