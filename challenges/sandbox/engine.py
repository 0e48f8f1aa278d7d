"""`process()`: a learner's bytes in, the exchanges a real server would have
had with them out.

The input is read like one connection. `find_request_end()` cuts it into
requests; each is linted, and either refused with the error a server would
send (and the connection closes, so nothing after it is read) or parsed by
h11 and answered by the bookshop from the learner's state. Findings are
positioned in the learner's whole text. A few findings only make sense
across two requests (a body that became the next "request"); they are added
here, after the fact, and never change a response, so the TCP server, which
answers each request on its own, sends the same bytes.

Each finding is reported once. One that only follows from another (the
"not a request line" after a body that ran past its Content-Length, the
unread bytes after an error) is tied to its cause (`caused_by`,
`follow_ons`) and sorted after it. When a broken line ends a request early,
the findings on the rest of its head are reported too: a server answers the
first error, a linter names them all.

The caller's state is never changed: requests are answered from it directly
until a handler needs to write, which gets a copy (see api/router.py). Any
exception in framing, lint, parse or answer becomes a 500 that says the
sandbox failed, logged once (guard.py): no input crashes `process()`.
"""

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .api import respond
from .diagnostics import CODES, Diagnostic, Finding, folded, shown
from .follow_ons import (
    MISSING_HOST_FOLLOW_ON,
    missing_host_causes,
    read_as_a_new_request,
    told_as_follow_on,
)
from .framing import Frame, frame_request
from .guard import (
    ANSWER,
    FRAMING,
    LINT,
    PARSE,
    AlreadyReported,
    failure_finding,
    failure_response,
    report_failure,
)
from .layout import COMPLETE, HEAD_END, scan_head
from .limits import LIMITS
from .lint import SliceReport, findings_past_cut, lint_slice
from .lint_body_framing import Framing
from .messages import Exchange, Outcome, ParsedRequest, Reply
from .parse import ParserRejection, parse_request
from .render import finalize, protocol_error_reply
from .state import readable_state

REPLICAS = ("replica-1", "replica-2", "replica-3")
REQUEST_LINE_START = re.compile(rb"[A-Za-z]+ \S+ HTTP/")
# First errors that mean "this is not a request at all", when they sit on the first line.
NOT_A_REQUEST = {
    "malformed-request-line",
    "missing-http-version",
    "unknown-method",
    "extra-whitespace-in-request-line",
    "non-ascii-in-request-line",
    "malformed-http-version",
    "bad-request-target",
}


def process(
    data: bytes,
    state: dict,
    *,
    now: datetime | None = None,
    replica: str | None = None,
    prior_requests: int = 0,
    prior_bytes: int = 0,
) -> Outcome:
    """Answer every request in `data` as one connection would.

    `state` is not changed; the new state is `outcome.state`: `state`
    itself when every request was answered by a read-only handler (so a
    caller can skip saving it), else a copy of its own. `now` defaults to
    the current UTC time and `replica` to a random replica per request.
    A TCP server that frames its stream with `find_request_end()` passes
    how many requests and bytes it already consumed on this connection, so
    the connection-wide limits fall where they would for the whole input.
    """
    data = bytes(data)
    moment = now or datetime.now(UTC)
    if moment.microsecond:
        moment = moment.replace(microsecond=0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    run = _Connection(data, state, moment, replica, prior_requests, prior_bytes)
    try:
        run.state = readable_state(state)
        return run.answer_all()
    except Exception as error:  # the sandbox failed, not the learner: a 500, never a crash
        return run.failed(error, state)


@dataclass(slots=True)
class _Connection:
    data: bytes
    state: dict
    now: datetime
    replica: str | None
    prior_requests: int
    prior_bytes: int
    exchanges: list[Exchange] = field(default_factory=list)
    loose_findings: list[Finding] = field(default_factory=list)  # absolute offsets
    stage: str = FRAMING  # what the sandbox is doing, for the log if it fails (guard.py)

    def answer_all(self) -> Outcome:
        offset, previous_framing = 0, None
        while offset < len(self.data):
            rest = self.data[offset:]
            if self.prior_requests + len(
                self.exchanges
            ) >= LIMITS.pipelined_requests and rest.strip(b"\r\n"):
                self._refuse_rest(offset, "pipeline-too-long", self._pipeline_message())
                break
            self.stage = FRAMING
            frame = frame_request(rest)
            if frame.failure is not None:
                raise AlreadyReported(FRAMING, frame.failure)
            end = frame.end
            piece = rest if end is None else rest[:end]
            if piece[:1] in b"\r\n" and not piece.strip(b"\r\n"):
                if end is None:
                    break  # trailing empty lines: a server waits for a request that never comes
                offset += end
                continue
            if self.prior_bytes + offset + len(piece) > LIMITS.input_bytes:
                self._refuse_rest(offset, "input-too-large", self._input_message())
                break
            exchange, previous_framing = self._answer(piece, frame, offset, previous_framing)
            offset += len(piece)
            if exchange.closes_connection:
                self._note_ignored_bytes(offset, exchange, previous_framing)
                break
        if not self.exchanges and not self.data.strip(b"\r\n") and not self.prior_requests:
            message = (
                "There is nothing here to send. A server that receives no request sends no response; "
                'type a request line such as "GET /books HTTP/1.1", a Host line, and an empty line.'
            )
            self.loose_findings.append(Finding("empty-input", 0, message))
        return self._outcome()

    def _answer(
        self, piece: bytes, frame: Frame, offset: int, previous_framing: Framing | None
    ) -> tuple[Exchange, Framing]:
        """Answer one request; also return how its body was framed, which the
        next request's diagnostics may need."""
        self.stage = LINT
        report = lint_slice(piece, frame)
        findings = [finding.shifted(offset) for finding in report.findings]
        causes: dict[int, int] = {}  # follow-on -> root, as indexes in findings
        notes = self._notes_about_previous(report, offset, previous_framing)
        if notes:
            # The cause (the request above) comes first; "not a request line" follows from it.
            fatal = report.findings.index(report.fatal)
            causes[fatal] = len(findings)
            findings[fatal] = told_as_follow_on(
                findings[fatal], read_as_a_new_request(piece, report)
            )
            findings += notes
        elif report.fatal and REQUEST_LINE_START.match(piece, report.request_start):
            findings += [f.shifted(offset) for f in findings_past_cut(self.data[offset:], frame)]
        for missing, broken_host_line in missing_host_causes(findings, self.data).items():
            causes[missing] = broken_host_line
            findings[missing] = told_as_follow_on(findings[missing], MISSING_HOST_FOLLOW_ON)
        request = None
        if report.fatal:
            reply = protocol_error_reply(report.fatal.code, CODES[report.fatal.code].status)
        else:
            self.stage = PARSE
            parsed = parse_request(piece[report.request_start :])
            self.stage = ANSWER
            if isinstance(parsed, ParserRejection):
                findings.append(_parser_rejection(parsed, offset + report.request_start))
                reply = protocol_error_reply("parser-rejected", parsed.status)
            else:
                request = parsed
                reply, failure = self._respond(
                    parsed, tuple([finding.code for finding in report.findings])
                )
                if failure:
                    findings.append(failure.shifted(offset + report.request_start))
                    request = None
        self.stage = ANSWER
        connection = "close" if request is None else _connection_field(request)
        head_request = request.method == "HEAD" if request else report.head_request
        response = finalize(
            reply,
            head_request=head_request,
            now=self.now,
            replica=self.replica or random.choice(REPLICAS),
            connection=connection,
        )
        self.stage = LINT
        diagnostics = folded([finding.placed(self.data) for finding in findings], causes)
        exchange = Exchange(request, response, diagnostics, piece, connection == "close")
        self.exchanges.append(exchange)
        return exchange, report.framing

    def _respond(
        self, request: ParsedRequest, lint_codes: tuple[str, ...]
    ) -> tuple[Reply, Finding | None]:
        """The bookshop's reply; a failure of the sandbox itself becomes a 500
        and leaves the state as it was (`respond()` never changes the state
        it is given, so there is nothing to undo)."""
        try:
            reply, self.state = respond(request, self.state, self.now, lint_codes)
            return reply, None
        except Exception as error:  # a bug in the sandbox must not surface as a crash
            digest = report_failure(self.data, ANSWER, error)
            reply = protocol_error_reply("internal-error", 500)
            return reply, failure_finding(ANSWER, error, digest)

    def failed(self, error: Exception, state: dict) -> Outcome:
        """The outcome when the sandbox itself failed anywhere: one 500 for the
        whole input, closing the connection, and the caller's state as it was."""
        digest = report_failure(self.data, self.stage, error)
        diagnostic = failure_finding(self.stage, error, digest).placed(self.data)
        response = failure_response(
            self.now,
            self.replica or random.choice(REPLICAS),
            head_request=self.data.lstrip(b"\r\n").startswith(b"HEAD "),
        )
        exchange = Exchange(None, response, [diagnostic], self.data, True)
        return Outcome([diagnostic], [exchange], state)

    def _notes_about_previous(
        self, report: SliceReport, offset: int, framing: Framing | None
    ) -> list[Finding]:
        fatal = report.fatal
        if framing is None or fatal is None or fatal.code not in NOT_A_REQUEST:
            return []
        piece = self.data[offset:]
        first_line_end = piece.find(b"\n", report.request_start)
        if first_line_end != -1 and fatal.offset > first_line_end:
            return []
        start = offset + report.request_start
        leftover = self.data[start:].rstrip(b"\r\n")
        quoted = shown(leftover)
        if framing.chunked:
            message = (
                f'These bytes, "{quoted}", come after the end of the chunked body above (its 0 chunk and '
                "empty line). The server read them as the start of a new request, which they are not, so it "
                "answered 400 and closed the connection. Remove them, or move them inside a chunk."
            )
            return [Finding("trailing-garbage", start, message)]
        if framing.content_length is not None:
            meant = framing.content_length + len(leftover)
            message = (
                f"The request above said Content-Length: {framing.content_length}, but its body goes on: "
                f'the server stopped after {_bytes(framing.content_length)} and read the rest, "{quoted}", '
                "as the start of a new request, which it is not, so it answered 400 and closed the "
                f"connection. If everything up to here is the body, Content-Length should be {meant}."
            )
            return [
                Finding(
                    "content-length-shorter-than-body", start, message, f"Content-Length: {meant}"
                )
            ]
        message = (
            f"The request above has neither Content-Length nor Transfer-Encoding, so to the server its body "
            f'is empty and it ended at the empty line. These bytes, "{quoted}", were then read as the start '
            "of a new request, which they are not, so the server answered 400 and closed the connection. "
            f'Add "Content-Length: {len(leftover)}" to the request above.'
        )
        return [Finding("body-without-length", start, message, f"Content-Length: {len(leftover)}")]

    def _note_ignored_bytes(self, offset: int, exchange: Exchange, framing: Framing) -> None:
        if scan_head(exchange.raw_request).status != COMPLETE:
            # The request was refused in the middle of its head: the rest of that
            # head is part of the same mistake, so only what follows it is news.
            head_end = HEAD_END.search(self.data, max(offset - 1, 0))
            if head_end is None:
                return
            offset = head_end.end()
        leftover = self.data[offset:]
        if not leftover.strip(b"\r\n"):
            return
        start = offset + (len(leftover) - len(leftover.lstrip(b"\r\n")))
        request = exchange.request
        if request is None:
            why = "answered the request above with an error and closed the connection, as it must when it cannot trust where a request ends"
            repair = "Fix the error above"
        elif request.http_version == "1.0":
            why = "answered the HTTP/1.0 request above and closed the connection, as HTTP/1.0 does unless the request says Connection: keep-alive"
            repair = "Use HTTP/1.1, or add Connection: keep-alive"
        else:
            why = "closed the connection after answering, because the request above said Connection: close"
            repair = "Remove Connection: close"
        unread = shown(leftover.lstrip(b"\r\n"))
        message = (
            f'The server {why}. It never read the {len(leftover)} bytes after it, starting "{unread}". '
            f"{repair} to have them read."
        )
        looks_like_a_request = REQUEST_LINE_START.match(leftover.lstrip(b"\r\n"))
        if (
            request is not None
            and framing.content_length is None
            and not framing.chunked
            and not looks_like_a_request
        ):
            message += " If they were meant as its body, the request above needs Content-Length."
        diagnostics = exchange.diagnostics
        diagnostics.append(Finding("ignored-after-close", start, message).placed(self.data))
        causes = {}
        if request is None:  # the error that closed the connection is why they went unread
            root = next(i for i, d in enumerate(diagnostics) if d.severity == "error")
            causes = {len(diagnostics) - 1: root}
        diagnostics[:] = folded(diagnostics, causes)

    def _refuse_rest(self, offset: int, code: str, message: str) -> None:
        reply = protocol_error_reply(code, CODES[code].status)
        response = finalize(
            reply,
            head_request=False,
            now=self.now,
            replica=self.replica or random.choice(REPLICAS),
            connection="close",
        )
        diagnostic = Finding(code, offset + _skip_newlines(self.data, offset), message).placed(
            self.data
        )
        self.exchanges.append(Exchange(None, response, [diagnostic], self.data[offset:], True))

    def _pipeline_message(self) -> str:
        return (
            f"This is request number {LIMITS.pipelined_requests + 1} sent at once on one connection. The sandbox "
            f"answers at most {LIMITS.pipelined_requests} pipelined requests (sent without waiting for the "
            "answers; real servers cap them too), so it answers 400 and closes. Send the rest in a new "
            "submission, or over TCP wait for the answers before sending more."
        )

    def _input_message(self) -> str:
        return (
            f"This request ends past the first {LIMITS.input_bytes // 1024} KiB of the input, the most the "
            "sandbox reads from one connection, so it answers 400 and closes. Send fewer or smaller requests."
        )

    def _outcome(self) -> Outcome:
        diagnostics = [
            diagnostic for exchange in self.exchanges for diagnostic in exchange.diagnostics
        ]
        diagnostics += _placed(self.loose_findings, self.data)
        return Outcome(sorted(diagnostics, key=_position), self.exchanges, self.state)


def _bytes(count: int) -> str:
    return "1 byte" if count == 1 else f"{count} bytes"


def _position(diagnostic: Diagnostic) -> tuple[int, int, bool]:
    return diagnostic.position


def _placed(findings: list[Finding], data: bytes) -> list[Diagnostic]:
    """The findings as diagnostics in `data`, by line and column."""
    if not findings:
        return []
    return sorted((finding.placed(data) for finding in findings), key=_position)


def _skip_newlines(data: bytes, offset: int) -> int:
    rest = data[offset:]
    return len(rest) - len(rest.lstrip(b"\r\n"))


def _connection_field(request: ParsedRequest) -> str | None:
    """What the response's Connection field says: "close" when this is the last
    response on the connection, "keep-alive" for an HTTP/1.0 client that asked."""
    if request.http_version == "1.1" and request.header("Connection") is None:
        return None
    options = {
        option.strip().lower()
        for value in request.header_values("Connection")
        for option in value.split(",")
    }
    if "close" in options:
        return "close"
    if request.http_version == "1.0":
        return "keep-alive" if "keep-alive" in options else "close"
    return None


def _parser_rejection(rejection: ParserRejection, offset: int) -> Finding:
    message = (
        f'h11, the HTTP parser behind this sandbox, refused the request: "{rejection.reason}". A server built '
        f"on it answers {rejection.status} and closes the connection. Fix what it names, then send again."
    )
    return Finding("parser-rejected", offset, message)
