"""Run a SandboxServer on 127.0.0.1 in a background thread for tests and benchmarks."""

import asyncio
import socket
import threading
import time
from contextlib import contextmanager

from challenges.sandbox import fresh_state, process
from challenges.sandbox.closed_early import answered_as_closed
from challenges.sandbox.server import Reply, SandboxServer, ServerConfig

from .support import NOW, REPLICA


async def fixed_clock_handler(raw: bytes, connection) -> Reply:
    """Answer from a throw-away state per connection, at a fixed time, so bytes can be compared."""
    state = connection.scratch.setdefault("state", fresh_state())
    outcome = process(
        raw,
        state,
        now=NOW,
        replica=REPLICA,
        prior_requests=connection.served,
        prior_bytes=connection.consumed,
    )
    if connection.client_closed:
        outcome = answered_as_closed(outcome)
    connection.scratch["state"] = outcome.state
    return Reply(
        outcome.raw_response, close=outcome.closes_connection, exchanges=len(outcome.exchanges)
    )


@contextmanager
def running_server(handler=fixed_clock_handler, config: ServerConfig | None = None):
    """Yield (host, port) of a server running in its own thread and event loop."""
    with serving(handler, config) as server:
        yield "127.0.0.1", server.port


@contextmanager
def serving(handler=fixed_clock_handler, config: ServerConfig | None = None):
    """Yield the SandboxServer itself, running in its own thread and event loop
    (read its counters; they are only ever changed in that loop)."""
    loop = asyncio.new_event_loop()
    server = SandboxServer(handler, config)
    started = threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start("127.0.0.1", 0))
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10), "the sandbox server did not start"
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def exchange(
    port: int,
    data: bytes,
    *,
    pieces: list[bytes] | None = None,
    pause: float = 0.0,
    timeout: float = 10,
) -> bytes:
    """Send `data` (or `pieces`, pausing between them), half-close, and read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            for piece in pieces or [data]:
                sock.sendall(piece)
                if pause:
                    time.sleep(pause)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may answer and hang up first (a refusal); read what it sent
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass  # a refusing server may reset after its answer; keep what arrived
        return b"".join(chunks)


def wait_until(condition, timeout: float = 5.0, step: float = 0.02) -> bool:
    """Poll `condition()` until it is true or `timeout` passes; return its last value."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return bool(condition())
        time.sleep(step)
    return True


def run_coroutine(coroutine):
    """Run `coroutine` to its end in a thread with its own event loop, and return its result.

    Not `asyncio.run()` in the test's thread: the browser tests' Playwright keeps an event
    loop running there for the rest of the session, and asyncio.run() refuses to start
    beside a running loop."""
    outcome = {}

    def run():
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as error:  # handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
