"""Every resource of the TCP server is bounded per client: hostile clients on 127.0.0.1.

Each test is bounded in connections and time, and stops by itself.
"""

import asyncio
import logging
import resource
import socket
import threading
import time

import pytest

from challenges.sandbox import framing as framing_module
from challenges.sandbox import server as server_module
from challenges.sandbox.server import Reply, ServerConfig

from .server_harness import exchange, fixed_clock_handler, running_server, serving, wait_until
from .support import build

BIG_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 30000\r\n\r\n" + b"x" * 30_000


async def big_answers(raw: bytes, connection) -> Reply:
    """30 KB for every request, whatever it is (the server is what is under test)."""
    return Reply(BIG_ANSWER)


def _never_reading_client(port: int, stop: threading.Event) -> socket.socket:
    """Connect with a tiny receive buffer and send small requests one at a time,
    never reading the answers, until the server closes or `stop` is set."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(0.5)
    sock.connect(("127.0.0.1", port))

    def flood():
        while not stop.is_set():
            try:
                sock.sendall(build("GET", "/books/1"))
            except TimeoutError:
                continue  # our own send buffer is full: the server stopped reading
            except OSError:
                return  # the server closed the connection
            time.sleep(0.003)  # one at a time, so the pipelining limit never applies

    threading.Thread(target=flood, daemon=True).start()
    return sock


@pytest.mark.parametrize(
    "config",
    [
        ServerConfig(write_timeout=60.0, max_unread_output=256 * 1024),
        ServerConfig(write_timeout=0.5, max_unread_output=10**9),
    ],
    ids=["unread-output-bound", "write-deadline"],
)
def test_a_client_that_never_reads_its_answers_is_closed(config):
    stop = threading.Event()
    with serving(handler=big_answers, config=config) as server:
        sock = _never_reading_client(server.port, stop)
        try:
            assert wait_until(lambda: server.open_total == 1, 2)
            assert wait_until(lambda: server.open_total == 0, 8), "still holding the connection"
            # The server is still there for everyone else.
            assert exchange(server.port, build("GET", "/books/1")).startswith(BIG_ANSWER)
        finally:
            stop.set()
            sock.close()


def _connect_from(address: str, port: int) -> socket.socket:
    sock = socket.socket()
    sock.bind((address, 0))
    sock.settimeout(10)
    sock.connect(("127.0.0.1", port))
    return sock


@pytest.fixture
def many_descriptors():
    """Room for 1,100 client sockets and the server's 1,100 in one process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < 2600:
        pytest.fail("this test needs 2,600 file descriptors; raise the hard limit (ulimit -Hn)")
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_full_server_sheds_idle_connections_so_a_new_address_is_served(many_descriptors):
    held = []
    with serving(config=ServerConfig(head_timeout=60, idle_timeout=60)) as server:
        try:
            for last in range(2, 13):  # 11 addresses x 100 idle connections
                address = f"127.0.0.{last}"
                held += [_connect_from(address, server.port) for _ in range(100)]
                # Every connection made so far is open, or was shed to make room.
                made = len(held)
                assert wait_until(
                    lambda made=made: server.open_total + server.shed_total == made, 10
                )
            assert server.open_total == 1000
            assert server.shed_total == 100
            assert set(server.open_by_ip) == {f"127.0.0.{last}" for last in range(2, 13)}
            with _connect_from("127.0.0.13", server.port) as fresh:
                fresh.sendall(build("GET", "/books/1", "Connection: close"))
                answer = fresh.recv(65536)
            assert answer.startswith(b"HTTP/1.1 200 OK"), answer[:200]
        finally:
            for sock in held:
                sock.close()


def test_when_every_connection_is_busy_the_503_names_the_global_limit():
    release = threading.Event()

    async def slow(raw: bytes, connection) -> Reply:
        while not release.is_set():  # a request being answered is never shed
            await asyncio.sleep(0.01)
        return await fixed_clock_handler(raw, connection)

    config = ServerConfig(max_connections=2, max_connections_per_ip=10)
    with serving(handler=slow, config=config) as server:
        busy = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(2)]
        try:
            for sock in busy:
                sock.sendall(build("GET", "/books/1"))
            assert wait_until(
                lambda: server.open_total == 2 and all(r.busy for r in server._open.values())
            )
            refused = exchange(server.port, build("GET", "/books"))
        finally:
            release.set()
            for sock in busy:
                sock.close()
    assert refused.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert b"Retry-After: 5\r\n" in refused and b"X-Sandbox-Limit: global\r\n" in refused
    assert b"the most it serves at once" in refused
    assert b"address" not in refused.split(b"\r\n\r\n", 1)[1]


def test_the_per_address_503_names_the_per_address_limit():
    with running_server(config=ServerConfig(max_connections_per_ip=2)) as (host, port):
        held = [socket.create_connection((host, port), timeout=5) for _ in range(2)]
        time.sleep(0.2)
        refused = exchange(port, build("GET", "/books"))
        for sock in held:
            sock.close()
    assert refused.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert b"Retry-After: 5\r\n" in refused and b"X-Sandbox-Limit: per-address\r\n" in refused
    assert b"This address already has 2 connections open" in refused


def test_clients_that_half_send_a_head_and_go_away_are_logged_without_tracebacks(caplog):
    caplog.set_level(logging.DEBUG)
    with serving(config=ServerConfig(linger=0.5)) as server:
        for _ in range(20):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            sock.sendall(b"GET /books HTTP/1.1\r\nHost: exa")
            sock.close()
        assert wait_until(lambda: server.open_total == 0, 10)
        time.sleep(0.2)
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert not tracebacks, tracebacks[0].getMessage()
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    "error",
    [
        BrokenPipeError(32, "Broken pipe"),
        ConnectionResetError(104, "Connection reset by peer"),
        OSError(107, "Transport endpoint is not connected"),
        asyncio.IncompleteReadError(b"", 10),
    ],
)
def test_disconnect_errors_end_a_connection_in_one_line(monkeypatch, caplog, error):
    async def gone(self, reader, writer):
        raise error

    monkeypatch.setattr(server_module.SandboxServer, "_linger", gone)
    caplog.set_level(logging.INFO, logger="challenges.sandbox.server")
    with serving() as server:
        answer = exchange(server.port, build("GET", "/books/1", "Connection: close"))
        assert wait_until(lambda: server.open_total == 0)
    assert answer.startswith(b"HTTP/1.1 200 OK")
    lines = [r for r in caplog.records if r.name == "challenges.sandbox.server"]
    assert len(lines) == 1 and not lines[0].exc_info
    assert "went away" in lines[0].getMessage()


def test_a_failure_in_framing_still_gets_the_client_a_500(monkeypatch, caplog):
    def broken(buffer):
        raise ValueError("framing tripped over these bytes")

    # frame_request_safely() turns the failure into a Frame that process() answers with 500.
    monkeypatch.setattr(framing_module, "frame_request", broken)
    with running_server() as (host, port):
        answer = exchange(port, build("GET", "/books/1"))
    assert answer.startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
    assert b"Connection: close\r\n" in answer
    failures = [r for r in caplog.records if r.exc_info]
    assert len(failures) == 1 and "sha256" in failures[0].getMessage()


def test_a_request_cut_short_to_make_room_is_answered_503():
    config = ServerConfig(max_connections=2, max_connections_per_ip=10, head_timeout=30)
    with serving(config=config) as server:
        slow = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        slow.sendall(b"GET /books HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and never the rest
        time.sleep(0.3)
        idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        assert wait_until(lambda: server.open_total == 2)
        served = exchange(server.port, build("GET", "/books/1", "Connection: close"))
        answer = b""
        while chunk := slow.recv(65536):
            answer += chunk
        slow.close()
        idle.close()
    assert served.startswith(b"HTTP/1.1 200 OK")
    assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert b"X-Sandbox-Limit: global\r\n" in answer and b"Retry-After: 5\r\n" in answer
