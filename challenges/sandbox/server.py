"""The sandbox as a TCP server: asyncio streams in, the same sandbox code behind them.

Strategy: the server only frames the byte stream into requests (with
`frame_request`, which is `find_request_end` plus what it learnt on the way)
and enforces time and connection limits; each framed request's exact bytes go
to an async `handler` (the Django glue runs `process()` against the learner's
stored state there). So a request sent with
curl and the same bytes typed in the browser editor meet the same code and get
the same answer.

Defences: a client has `head_timeout` seconds from its first byte to finish a
request head and `request_timeout` for the whole request; an idle keep-alive
connection is closed after `idle_timeout`; connections are capped per address
and in total. Each connection is its own task, so a slow client only ever
holds up itself. A handler that fails gets the client a 500, not silence.

Framing costs little: the buffer is framed again only when a read could have
changed the answer (see `_may_have_changed`), never scanned on every read, and
the handler's `process()` reuses the framing's work on the same bytes object.
A client that sends `Expect: 100-continue` and waits before sending the body
(curl does, for larger bodies) is told "100 Continue" once the head is in
and judged sound, as RFC 9110 §10.1.1 asks; only over TCP, since an
interim response only means something to a client still to send its body.
When the server closes after answering, it closes gently: it stops writing,
then reads and drops what the client still sends for `linger` seconds, so the
client's kernel does not reset the connection before the answer is read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from .framing import Frame, frame_request
from .layout import COMPLETE
from .limits import LIMITS

__all__ = ["ServerConfig", "Reply", "ConnectionInfo", "SandboxServer"]

log = logging.getLogger(__name__)

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


@dataclass(frozen=True)
class ServerConfig:
    head_timeout: float = 10.0
    request_timeout: float = 30.0
    idle_timeout: float = 15.0
    max_connections: int = 1000
    max_connections_per_ip: int = 100
    read_size: int = 64 * 1024  # large reads: most requests arrive in one
    linger: float = 2.0


@dataclass(frozen=True)
class Reply:
    """What the handler answers: the raw response bytes, how many requests they answer
    (a framed piece is one request, or none for an empty one), and whether to close."""

    raw: bytes
    close: bool = False
    exchanges: int = 1


@dataclass
class ConnectionInfo:
    """Per-connection facts and scratch space the handler may use (e.g. a throw-away state).

    `served` and `consumed` count the requests answered and bytes read since the client
    last had nothing unanswered, so the handler can pass them to `process()`: requests
    sent back to back without waiting (pipelined) share the limits of one input, the
    10th request and 64 KiB, where they would fall if the whole stream had been typed
    into the editor at once. A client that waits for each answer, as most do on a
    keep-alive connection, starts afresh with every request.
    """

    peer: str
    scratch: dict = field(default_factory=dict)
    served: int = 0
    consumed: int = 0


Handler = Callable[[bytes, ConnectionInfo], Awaitable[Reply]]


def _plain_answer(status_line: str, text: str, *fields: str) -> bytes:
    """A complete response the server sends on its own, closing the connection."""
    body = text.encode()
    head = [status_line, "Content-Type: text/plain; charset=utf-8", *fields, "Connection: close"]
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


_FAILED = _plain_answer(
    "HTTP/1.1 500 Internal Server Error", "The sandbox failed on this request; please report it.\n"
)
_BUSY = _plain_answer(
    "HTTP/1.1 503 Service Unavailable",
    "Too many open connections from your address; try again soon.\n",
    "Retry-After: 5",
)


class SandboxServer:
    def __init__(self, handler: Handler, config: ServerConfig | None = None):
        self.handler = handler
        self.config = config or ServerConfig()
        self.open_total = 0
        self.open_by_ip: dict[str, int] = {}
        self._server: asyncio.AbstractServer | None = None
        self._connections: set[asyncio.Task] = set()

    async def start(self, host: str, port: int) -> asyncio.AbstractServer:
        self._server = await asyncio.start_server(
            self._accept, host, port, limit=LIMITS.input_bytes * 2
        )
        return self._server

    @property
    def port(self) -> int:
        return self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop listening and end every open connection."""
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = (writer.get_extra_info("peername") or ("?",))[0]
        if self.open_total >= self.config.max_connections or (
            self.open_by_ip.get(peer, 0) >= self.config.max_connections_per_ip
        ):
            await self._refuse(reader, writer)
            return
        self.open_total += 1
        self.open_by_ip[peer] = self.open_by_ip.get(peer, 0) + 1
        task = asyncio.current_task()
        self._connections.add(task)
        try:
            await self._serve(reader, writer, ConnectionInfo(peer=peer))
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            # close() ends the connection; finishing quietly keeps Python 3.11's
            # streams from logging the cancelled task as an error.
            pass
        except Exception:  # one broken connection must never take the server down
            log.exception("sandbox connection from %s failed", peer)
        finally:
            self._connections.discard(task)
            self.open_total -= 1
            self.open_by_ip[peer] -= 1
            if not self.open_by_ip[peer]:
                del self.open_by_ip[peer]
            with contextlib.suppress(Exception):
                writer.close()
                await writer.wait_closed()

    async def _refuse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Answer 503 and close gently: a lingering close reads what the client had already
        sent, so its kernel does not reset the connection before it reads our answer."""
        with contextlib.suppress(Exception):
            writer.write(_BUSY)
            await writer.drain()
            writer.write_eof()
            await _read(reader, self.config.read_size, 1.0)
            writer.close()
            await writer.wait_closed()

    async def _serve(self, reader, writer, connection: ConnectionInfo) -> None:
        loop = asyncio.get_running_loop()
        buffer, answered = b"", False
        while True:
            if not buffer:
                # Between requests: wait for the first byte, or close an idle connection.
                wait = self.config.idle_timeout if answered else self.config.head_timeout
                chunk = await _read(reader, self.config.read_size, wait)
                if not chunk:
                    return
                buffer = chunk
                # Everything sent so far is answered: this request is not pipelined.
                connection.served = connection.consumed = 0
            started = loop.time()
            frame = frame_request(buffer) if _may_have_changed(buffer, buffer, False) else None
            continued = False
            while (frame is None or frame.end is None) and len(buffer) <= LIMITS.input_bytes:
                head_done = frame is not None and frame.layout.status == COMPLETE
                if head_done and not continued and _expects_continue(frame):
                    await _write(writer, CONTINUE)
                    continued = True
                deadline = started + (
                    self.config.request_timeout if head_done else self.config.head_timeout
                )
                chunk = await _read(reader, self.config.read_size, deadline - loop.time())
                if not chunk:
                    # Timed out or the client stopped sending: answer what arrived, as a
                    # real server would (usually 408 or 400), then close.
                    reply = await self._answer(buffer, connection)
                    await _write(writer, reply.raw)
                    await self._linger(reader, writer)
                    return
                buffer += chunk
                if _may_have_changed(buffer, chunk, head_done):
                    frame = frame_request(buffer)
            end = frame.end if frame is not None else None
            if end is None:
                end = len(buffer)
            request, buffer = buffer[:end], buffer[end:]
            reply = await self._answer(request, connection)
            connection.served += reply.exchanges
            connection.consumed += len(request)
            answered = True
            await _write(writer, reply.raw)
            if reply.close:
                await self._linger(reader, writer)
                return

    async def _answer(self, request: bytes, connection: ConnectionInfo) -> Reply:
        try:
            return await self.handler(request, connection)
        except Exception:  # the client still deserves an answer, as from any real server
            log.exception("sandbox handler failed for %s", connection.peer)
            return Reply(_FAILED, close=True, exchanges=0)

    async def _linger(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Stop writing, then drop what the client still sends for a moment: closing
        with unread bytes makes the kernel reset the connection, and a reset can
        destroy the answer before the client has read it."""
        if not writer.can_write_eof():
            return
        writer.write_eof()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.config.linger
        while await _read(reader, self.config.read_size, deadline - loop.time()):
            pass


def _expects_continue(frame: Frame) -> bool:
    """The head is in, sound, HTTP/1.1 and asks for 100 Continue before its body."""
    head = frame.head
    if head is None or head.fatal is not None or head.facts.version != "1.1":
        return False
    return any(
        field.key == b"expect" and field.value.lower() == b"100-continue" for field in head.fields
    )


def _may_have_changed(buffer: bytes, chunk: bytes, head_done: bool) -> bool:
    """Whether framing `buffer` may now find an end it did not find before
    `chunk` arrived (`head_done`: the head was complete before it). Until the
    head is complete, only a finished line (a line feed) or reaching the
    request line's limit can change the answer: unfinished lines are never
    judged, and the other limits lie further on."""
    return head_done or b"\n" in chunk or len(buffer) >= LIMITS.request_line_bytes


async def _read(reader: asyncio.StreamReader, size: int, timeout: float) -> bytes | None:
    """Return the next bytes ('' at end of stream), or None when `timeout` passes first."""
    if timeout <= 0:
        return None
    try:
        # asyncio.timeout() only schedules a timer; wait_for() would wrap every read in a task.
        async with asyncio.timeout(timeout):
            return await reader.read(size)
    except TimeoutError:
        return None


async def _write(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(data)
    await writer.drain()
