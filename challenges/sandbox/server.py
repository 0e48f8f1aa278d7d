"""The sandbox as a TCP server: asyncio streams in, the same sandbox code behind them.

Strategy: the server only frames the byte stream into requests
(`find_request_end`) and enforces time and connection limits; each framed
request's exact bytes go to an async `handler` (the Django glue runs
`process()` against the learner's stored state there). So a request sent with
curl and the same bytes typed in the browser editor meet the same code and get
the same answer.

Defences: a client has `head_timeout` seconds from its first byte to finish a
request head and `request_timeout` for the whole request; an idle keep-alive
connection is closed after `idle_timeout`; connections are capped per address
and in total. Each connection is its own task, so a slow client only ever
holds up itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from .framing import find_request_end
from .limits import LIMITS

__all__ = ["ServerConfig", "Reply", "ConnectionInfo", "SandboxServer"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerConfig:
    head_timeout: float = 10.0
    request_timeout: float = 30.0
    idle_timeout: float = 15.0
    max_connections: int = 1000
    max_connections_per_ip: int = 100
    read_size: int = 16 * 1024


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

    `served` and `consumed` count the requests answered and bytes read so far, so the
    handler can pass them to `process()` and connection-wide limits fall where they
    would if the whole stream had been processed at once.
    """

    peer: str
    scratch: dict = field(default_factory=dict)
    served: int = 0
    consumed: int = 0


Handler = Callable[[bytes, ConnectionInfo], Awaitable[Reply]]

_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 5\r\n"
    b"Connection: close\r\n"
    b"Content-Length: 61\r\n"
    b"\r\n"
    b"Too many open connections from your address; try again soon.\n"
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
        buffer = b""
        while True:
            if not buffer:
                # Between requests: wait for the first byte, or close an idle connection.
                wait = (
                    self.config.head_timeout if connection.served == 0 else self.config.idle_timeout
                )
                chunk = await _read(reader, self.config.read_size, wait)
                if not chunk:
                    return
                buffer = chunk
            started = loop.time()
            end = find_request_end(buffer)
            while end is None and len(buffer) <= LIMITS.input_bytes:
                head_done = b"\r\n\r\n" in buffer or b"\n\n" in buffer
                deadline = started + (
                    self.config.request_timeout if head_done else self.config.head_timeout
                )
                chunk = await _read(reader, self.config.read_size, deadline - loop.time())
                if chunk is None or not chunk:
                    # Timed out or the client stopped sending: answer what arrived, as a
                    # real server would (usually 408 or 400), then close.
                    reply = await self.handler(buffer, connection)
                    await _write(writer, reply.raw)
                    return
                buffer += chunk
                end = find_request_end(buffer)
            if end is None:
                end = len(buffer)
            request, buffer = buffer[:end], buffer[end:]
            reply = await self.handler(request, connection)
            connection.served += reply.exchanges
            connection.consumed += len(request)
            await _write(writer, reply.raw)
            if reply.close:
                return


async def _read(reader: asyncio.StreamReader, size: int, timeout: float) -> bytes | None:
    """Return the next bytes ('' at end of stream), or None when `timeout` passes first."""
    if timeout <= 0:
        return None
    try:
        return await asyncio.wait_for(reader.read(size), timeout)
    except TimeoutError:
        return None


async def _write(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(data)
    await writer.drain()
