"""TCP throughput and latency with a bounded load generator, and memory per idle connection.

Every server runs in its own process on 127.0.0.1; the same asyncio load
generator (C keep-alive connections, each sending requests one after another)
measures them all in one run:
  - the sandbox (`manage.py sandbox`), without a learner key (throw-away state)
    and with one (state read and written in the database on every request);
  - uvicorn (h11) serving a fixed JSON body, one worker;
  - httpbin under gunicorn (`/anything`), two sync workers: the sandbox a
    learner would otherwise use. Sync workers close after each response; the
    client reconnects, as a browser would.
"""

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HTTPBIN_PY = ROOT / ".venv-httpbin" / "bin" / "python"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@contextmanager
def _server(command: list[str], port: int, env: dict | None = None):
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the server keeps the
    connection open."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length, keep = 0, True
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            keep = False
    if length:
        await reader.readexactly(length)
    return status, keep


async def _client(
    port: int,
    request: bytes,
    count: int,
    latencies: list[float],
    errors: Counter,
    deadline: float,
) -> None:
    reader = writer = None
    for _ in range(count):
        if time.perf_counter() > deadline:
            break
        if writer is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        started = time.perf_counter()
        writer.write(request)
        status, keep = await _read_response(reader)
        latencies.append(time.perf_counter() - started)
        if status >= 400:  # answered, but not what was asked for: say so next to the rate
            errors[status] += 1
        if not keep:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _load(
    port: int, request: bytes, connections: int, per_connection: int, max_seconds: float
):
    latencies: list[float] = []
    errors: Counter = Counter()
    started = time.perf_counter()
    deadline = started + max_seconds
    await asyncio.gather(
        *(
            _client(port, request, per_connection, latencies, errors, deadline)
            for _ in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, latencies, errors


def _measure(name: str, port: int, request: bytes, quick: bool) -> dict:
    connections, per_connection = (20, 25) if quick else (50, 100)
    asyncio.run(_load(port, request, 5, 10, 10))  # warm up
    rps, latencies, errors = asyncio.run(_load(port, request, connections, per_connection, 60))
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    failed = "".join(f", {count} answered {status}" for status, count in sorted(errors.items()))
    print(
        f"  {name:<44} {rps:8,.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   "
        f"({len(latencies)} requests{failed})"
    )
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": dict(errors)}


def _learner_key() -> str:
    import django

    django.setup()
    from accounts.models import User

    user, _ = User.objects.get_or_create(
        username="bench-learner", defaults={"email": "bench@example.org"}
    )
    return user.sandbox_key


def run(*, quick: bool = False) -> dict:
    print(
        f"TCP, keep-alive GETs from one asyncio load generator ({'20x25' if quick else '50 connections x 100'} requests)"
    )
    results = {}
    port = _free_port()
    sandbox = [PY, "manage.py", "sandbox", "--port", str(port), "--max-connections-per-ip", "2000"]
    with _server(sandbox, port):
        plain = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
        results["sandbox"] = _measure("sandbox GET /books/1 (no key)", port, plain, quick)
        keyed = (
            f"GET /books/1 HTTP/1.1\r\nHost: {_learner_key()}.sandbox.localhost\r\n\r\n".encode()
        )
        results["sandbox_key"] = _measure(
            "sandbox GET /books/1 (learner key, DB)", port, keyed, quick
        )
    port = _free_port()
    with _server(
        [
            PY,
            "-m",
            "uvicorn",
            "bench.trivial_app:app",
            "--http",
            "h11",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        port,
    ):
        results["uvicorn"] = _measure(
            "uvicorn (h11) fixed JSON, 1 worker", port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", quick
        )
    if HTTPBIN_PY.exists():
        port = _free_port()
        gunicorn = [
            str(HTTPBIN_PY),
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "httpbin:app",
        ]
        with _server(gunicorn, port):
            results["httpbin"] = _measure(
                "httpbin /anything, gunicorn 2 sync workers",
                port,
                b"GET /anything HTTP/1.1\r\nHost: x\r\n\r\n",
                quick,
            )
    else:
        print("  httpbin: not installed (make bench installs it into .venv-httpbin)")
    sandbox_rps = results["sandbox"]["rps"]
    print(
        f"  sandbox / uvicorn = {sandbox_rps / results['uvicorn']['rps']:.2f} (goal >= 0.50)",
        end="",
    )
    if "httpbin" in results:
        print(f";  sandbox / httpbin = {sandbox_rps / results['httpbin']['rps']:.2f} (goal >= 1.0)")
    print("\n")
    return results


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def run_memory(*, quick: bool = False) -> dict:
    count = 100 if quick else 500
    port = _free_port()
    command = [PY, "manage.py", "sandbox", "--port", str(port), "--max-connections-per-ip", "2000"]
    with _server(command, port) as process:
        request = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
        warm = socket.create_connection(("127.0.0.1", port))
        warm.sendall(request)
        warm.recv(65536)
        warm.close()
        time.sleep(0.5)
        before = _rss_kib(process.pid)
        sockets = []
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(request)  # one request each, then idle on keep-alive
            sock.recv(65536)
            sockets.append(sock)
        time.sleep(0.5)
        after = _rss_kib(process.pid)
        for sock in sockets:
            sock.close()
    per_connection = (after - before) / count
    print(f"Memory: {count} idle keep-alive connections to the sandbox")
    print(
        f"  RSS {before:,} KiB -> {after:,} KiB: {per_connection:.1f} KiB per idle connection "
        "(each keeps its throw-away bookshop state)\n"
    )
    return {"connections": count, "kib_per_connection": per_connection}
