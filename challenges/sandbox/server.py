"""The sandbox as a TCP server: asyncio streams in, the same sandbox code behind them.

Strategy: the server only frames the byte stream into requests (with
`frame_request_safely`, which is `find_request_end` plus what it learnt on the
way, and turns a failure of framing into a frame that `process()` answers with
500) and enforces time and connection limits; each framed request's exact bytes go
to an async `handler` (the Django glue runs `process()` against the learner's
stored state there). So a request sent with
curl and the same bytes typed in the browser editor meet the same code and get
the same answer.

Defences: a client has `head_timeout` seconds from its first byte to finish a
request head and `request_timeout` for the whole request; an idle keep-alive
connection is closed after `idle_timeout`. A client that does not read its
answers is closed when a write misses `write_timeout` or when more than
`max_unread_output` bytes wait for it (in our buffer and the kernel's), so it
never holds memory or a connection for long. Connections are capped per
address and in total; when the server is full, a newcomer takes the place of
the idle connection of the address holding the most, idle longest, and is
refused (503, naming the limit) only when every connection is busy. Each
connection is its own task, so a slow client only ever holds up itself. Any
failure of framing or of the handler gets the client a 500, never silence; a
client that goes away is a normal end, logged in one line.

Framing costs little: the buffer is framed again only when a read could have
changed the answer (see `_may_have_changed`), never scanned on every read, and
the handler's `process()` reuses the framing's work on the same bytes object.
A client that sends `Expect: 100-continue` and waits before sending the body
(curl does, for larger bodies) is told "100 Continue" once the head is in
and judged sound, as RFC 9110 §10.1.1 asks; only over TCP, since an
interim response only means something to a client still to send its body.
A request left unfinished is answered when its time runs out (408) or when
the client closes its side (`ConnectionInfo.client_closed`: the handler then
answers 400, see closed_early.py). When the server closes after answering, it closes gently: it stops writing,
then reads and drops what the client still sends for `linger` seconds, so the
client's kernel does not reset the connection before the answer is read.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import hashlib
import logging
import random
import struct
import termios
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from .framing import Frame, frame_request_safely
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
    write_timeout: float = 10.0
    max_unread_output: int = 256 * 1024


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
    client_closed: bool = False  # the unfinished request ends because the client closed its side


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
RETRY_AFTER = 5
_BUSY_ADDRESS = (
    "This address already has {limit} connections open to the sandbox, the most it keeps for one "
    "address. Close one of them, or try again in a few seconds.\n"
)
_BUSY_SERVER = (
    "The sandbox has {limit} connections open, the most it serves at once, and every one of them "
    "is in the middle of a request, so none could make room for yours. Try again in a few seconds.\n"
)
_SHED = (
    "The sandbox reached the {limit} connections it serves at once while your request was still "
    "arriving, so it closed this connection to make room: it gives way first where an address holds "
    "the most connections, then where a connection has waited longest for bytes. Send the whole "
    "request at once, or try again in a few seconds.\n"
)
DISCONNECT_ERRNOS = frozenset(
    {errno.ENOTCONN, errno.EPIPE, errno.ECONNRESET, errno.ECONNABORTED, errno.ESHUTDOWN}
)


def is_disconnect(error: BaseException) -> bool:
    """Whether `error` only says the client went away (a normal end of a connection)."""
    if isinstance(error, ConnectionError | asyncio.IncompleteReadError | EOFError):
        return True  # BrokenPipeError and ConnectionResetError are ConnectionErrors
    return isinstance(error, OSError) and error.errno in DISCONNECT_ERRNOS


class ClientNotReading(Exception):
    """The client left too much of our output unread, or for too long."""


@dataclass(eq=False)
class _Open:
    """What the server knows of one open connection, to choose which to shed when full."""

    peer: str
    task: asyncio.Task
    last_active: float
    busy: bool = False  # framing, answering or writing: never shed in the middle of that
    shed: bool = False
    pending: bytes = b""  # the bytes not yet answered, for the log if the server fails on them


class SandboxServer:
    def __init__(self, handler: Handler, config: ServerConfig | None = None):
        self.handler = handler
        self.config = config or ServerConfig()
        self.open_total = 0
        self.open_by_ip: dict[str, int] = {}
        self.shed_total = 0
        self._server: asyncio.AbstractServer | None = None
        self._open: dict[asyncio.Task, _Open] = {}

    async def start(
        self, host: str, port: int, *, reuse_port: bool = False
    ) -> asyncio.AbstractServer:
        """Listen on host:port. With `reuse_port`, several processes (each started with
        it) share the port and the kernel spreads new connections over them
        (SO_REUSEPORT); without it, a port already taken raises OSError (EADDRINUSE)."""
        self._server = await asyncio.start_server(
            self._accept, host, port, limit=LIMITS.input_bytes * 2, reuse_port=reuse_port
        )
        return self._server

    @property
    def port(self) -> int:
        return self._server.sockets[0].getsockname()[1]

    async def close(self, grace: float = 0.0) -> None:
        """Stop listening and end every open connection, once each request under way
        is answered or `grace` seconds have passed."""
        if self._server is not None:
            self._server.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while loop.time() < deadline and any(record.busy for record in self._open.values()):
            await asyncio.sleep(0.01)
        tasks = list(self._open)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = (writer.get_extra_info("peername") or ("?",))[0]
        refusal = self._make_room(peer)
        if refusal is not None:
            await self._refuse(reader, writer, refusal)
            return
        loop = asyncio.get_running_loop()
        record = _Open(peer, asyncio.current_task(), loop.time())
        self._open[record.task] = record
        self.open_total += 1
        self.open_by_ip[peer] = self.open_by_ip.get(peer, 0) + 1
        abort = False
        try:
            await self._serve(reader, writer, ConnectionInfo(peer=peer), record)
        except ClientNotReading as error:
            abort = True  # what is queued will never be read: drop it, do not wait for it
            log.info("sandbox client %s closed: %s", peer, error)
        except asyncio.CancelledError:
            # close() or shedding ends the connection; finishing quietly keeps Python
            # 3.11's streams from logging the cancelled task as an error. A request
            # cut short by shedding is still answered.
            if record.shed and record.pending:
                await self._answer_shed(writer)
        except Exception as error:  # one broken connection must never take the server down
            if not is_disconnect(error):
                raise  # _serve() answers and logs everything else; this is a bug in it
            log.info("sandbox client %s went away: %s", peer, _described(error))
        finally:
            self._forget(record)
            await _close(writer, abort=abort, timeout=self.config.linger)

    def _make_room(self, peer: str) -> str | None:
        """Return None when a new connection from `peer` may be served (shedding an
        idle one if the server is full), else the limit that refuses it."""
        if self.open_by_ip.get(peer, 0) >= self.config.max_connections_per_ip:
            return "address"
        if self.open_total < self.config.max_connections:
            return None
        victim = self._victim()
        if victim is None:
            return "server"
        self._forget(victim)
        victim.shed = True
        self.shed_total += 1
        victim.task.cancel()
        log.info("sandbox shed an idle connection from %s to serve %s", victim.peer, peer)
        return None

    def _victim(self) -> _Open | None:
        """The idle connection to shed: from the address holding the most, idle longest."""
        now = asyncio.get_running_loop().time()
        idle = [record for record in self._open.values() if not record.busy]
        if not idle:
            return None
        return max(
            idle, key=lambda record: (self.open_by_ip[record.peer], now - record.last_active)
        )

    def _forget(self, record: _Open) -> None:
        if self._open.pop(record.task, None) is None:
            return  # already shed
        self.open_total -= 1
        self.open_by_ip[record.peer] -= 1
        if not self.open_by_ip[record.peer]:
            del self.open_by_ip[record.peer]

    async def _refuse(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, limit: str
    ) -> None:
        """Answer 503, saying which limit was hit, and close gently: a lingering close
        reads what the client had already sent, so its kernel does not reset the
        connection before it reads our answer."""
        if limit == "address":
            text = _BUSY_ADDRESS.format(limit=self.config.max_connections_per_ip)
        else:
            text = _BUSY_SERVER.format(limit=self.config.max_connections)
        answer = _plain_answer(
            "HTTP/1.1 503 Service Unavailable",
            text,
            f"Retry-After: {RETRY_AFTER}",
            f"X-Sandbox-Limit: {'per-address' if limit == 'address' else 'global'}",
        )
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                writer.write(answer)
                await writer.drain()
                writer.write_eof()
            await _read(reader, self.config.read_size, 1.0)
        await _close(writer, abort=False, timeout=1.0)

    async def _answer_shed(self, writer: asyncio.StreamWriter) -> None:
        answer = _plain_answer(
            "HTTP/1.1 503 Service Unavailable",
            _SHED.format(limit=self.config.max_connections),
            f"Retry-After: {RETRY_AFTER}",
            "X-Sandbox-Limit: global",
        )
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                writer.write(answer)
                await writer.drain()

    async def _serve(self, reader, writer, connection: ConnectionInfo, record: _Open) -> None:
        """Answer the connection's requests; a failure of the server's own code on the
        way (framing, a bug) still gets the client a 500 before the close."""
        try:
            await self._exchange_all(reader, writer, connection, record)
        except (ClientNotReading, asyncio.CancelledError):
            raise
        except Exception as error:
            if is_disconnect(error):
                raise
            digest = hashlib.sha256(record.pending).hexdigest()[:16]
            log.exception(
                "sandbox failed on %d bytes from %s (sha256 %s)",
                len(record.pending),
                connection.peer,
                digest,
            )
            if record.pending:  # those bytes are owed an answer
                await self._write(writer, _FAILED)
                await self._linger(reader, writer)

    async def _exchange_all(
        self, reader, writer, connection: ConnectionInfo, record: _Open
    ) -> None:
        loop = asyncio.get_running_loop()
        buffer, answered = b"", False
        while True:
            if not buffer:
                # Between requests: wait for the first byte, or close an idle connection.
                wait = self.config.idle_timeout if answered else self.config.head_timeout
                record.busy, record.pending, record.last_active = False, b"", loop.time()
                chunk = await _read(reader, self.config.read_size, wait)
                if not chunk:
                    return
                buffer = chunk
                # Everything sent so far is answered: this request is not pipelined.
                connection.served = connection.consumed = 0
            record.busy, record.pending = True, buffer
            started = loop.time()
            # Deadlines fall up to 10% later than configured, so clients that all started
            # together (an attack) are not all cut off, and answered, in the same instant.
            stretch = 1 + random.random() * 0.1
            frame = (
                frame_request_safely(buffer) if _may_have_changed(buffer, buffer, False) else None
            )
            continued = False
            while (frame is None or frame.end is None) and len(buffer) <= LIMITS.input_bytes:
                head_done = frame is not None and frame.layout.status == COMPLETE
                if head_done and not continued and _expects_continue(frame):
                    await self._write(writer, CONTINUE)
                    continued = True
                deadline = started + stretch * (
                    self.config.request_timeout if head_done else self.config.head_timeout
                )
                # Waiting for the rest of a request is idle too: a slow sender may be shed.
                record.busy, record.last_active = False, loop.time()
                chunk = await _read(reader, self.config.read_size, deadline - loop.time())
                record.busy = True
                if not chunk:
                    # Timed out (408) or the client closed its side (400: no more bytes can
                    # come): answer what arrived, as a real server would, then close.
                    connection.client_closed = chunk == b""
                    reply = await self._answer(buffer, connection)
                    await self._write(writer, reply.raw)
                    await self._linger(reader, writer)
                    return
                buffer += chunk
                record.pending = buffer
                if _may_have_changed(buffer, chunk, head_done):
                    frame = frame_request_safely(buffer)
            end = frame.end if frame is not None else None
            if end is None:
                end = len(buffer)
            request, buffer = buffer[:end], buffer[end:]
            reply = await self._answer(request, connection)
            connection.served += reply.exchanges
            connection.consumed += len(request)
            answered = True
            await self._write(writer, reply.raw)
            record.pending = buffer
            if reply.close:
                await self._linger(reader, writer)
                return

    async def _answer(self, request: bytes, connection: ConnectionInfo) -> Reply:
        try:
            return await self.handler(request, connection)
        except Exception:  # the client still deserves an answer, as from any real server
            log.exception("sandbox handler failed for %s", connection.peer)
            return Reply(_FAILED, close=True, exchanges=0)

    async def _write(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        """Send `data`; raise ClientNotReading when the client leaves too much unread
        or does not take it within the write deadline."""
        writer.write(data)
        unread = _unread(writer)
        if unread > self.config.max_unread_output:
            raise ClientNotReading(
                f"{unread} bytes of answers unread, more than {self.config.max_unread_output}"
            )
        try:
            async with asyncio.timeout(self.config.write_timeout):
                await writer.drain()
        except TimeoutError:
            raise ClientNotReading(
                f"answers unread for {self.config.write_timeout:g} s (the write deadline)"
            ) from None

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


def _described(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


async def _close(writer: asyncio.StreamWriter, *, abort: bool, timeout: float) -> None:
    """Close the connection; drop what is still queued when `abort` is set, or when
    the client does not take it within `timeout` (closing waits for the queue)."""
    if abort:
        writer.transport.abort()
    with contextlib.suppress(Exception):
        writer.close()
        async with asyncio.timeout(timeout):
            await writer.wait_closed()
        return
    writer.transport.abort()


def _unread(writer: asyncio.StreamWriter) -> int:
    """Bytes written but not yet taken by the client: asyncio's buffer, plus the
    kernel's send queue where the platform tells it (Linux's SIOCOUTQ)."""
    queued = writer.transport.get_write_buffer_size()
    sock = writer.get_extra_info("socket")
    if sock is None:
        return queued
    try:
        kernel = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, struct.pack("i", 0))
    except (OSError, ValueError):
        return queued
    return queued + struct.unpack("i", kernel)[0]


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
