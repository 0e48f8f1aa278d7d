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
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from bench.databases import database_ensure

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
        start_new_session=True,  # its own process group, with any process it starts
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
    port: int,
    request: bytes | list[bytes],
    connections: int,
    per_connection: int,
    max_seconds: float,
):
    """Run `connections` clients; `request` is what each sends, or a list of one
    request per client (then `connections` is its length)."""
    latencies: list[float] = []
    errors: Counter = Counter()
    requests = request if isinstance(request, list) else [request] * connections
    started = time.perf_counter()
    deadline = started + max_seconds
    await asyncio.gather(
        *(_client(port, each, per_connection, latencies, errors, deadline) for each in requests)
    )
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, latencies, errors


def _measure(name: str, port: int, request: bytes | list[bytes], quick: bool) -> dict:
    connections, per_connection = (20, 25) if quick else (LEARNERS, 200)
    if isinstance(request, list):
        connections = len(request)
    asyncio.run(_load(port, request, connections, 2, 10))  # warm up (each learner read once)
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


LEARNERS = 50
RAISED_LIMIT = 10**9
TCP_DATABASE_URL = os.environ.get(
    "TCP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hs_tcp_bench"
)
TCP_REDIS_URL = os.environ.get("TCP_REDIS_URL", "redis://127.0.0.1:6379/11")
# The sandbox under test: PostgreSQL and Redis, and a rate limit no bench learner reaches
# (the limiter still counts every request, so its cost is in the figures).
SERVER_ENV = {
    "DATABASE_URL": TCP_DATABASE_URL,
    "REDIS_URL": TCP_REDIS_URL,
    "CACHE_KEY_PREFIX": "bench-tcp",
    "SANDBOX_KEY_REQUESTS_PER_MINUTE": str(RAISED_LIMIT),
    "DJANGO_DEBUG": "false",  # production settings: no query log, no debug cursor
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
}


def _setup_learners(count: int) -> list:
    """The bench's learners on the bench database, created on the first run."""
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    database_ensure(TCP_DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    # Every run starts from the same table: earlier runs' pruned rows vacuumed away (at
    # a learner's real rate autovacuum keeps up; this bench writes 40 times faster).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE challenges_recordedexchange")
    from accounts.models import User

    learners = []
    for number in range(count):
        user, _ = User.objects.get_or_create(
            username=f"bench-learner-{number:02}",
            defaults={"email": f"bench{number}@example.org"},
        )
        learners.append(user)
    return learners


def _sandbox_command(port: int) -> list[str]:
    return [PY, "manage.py", "sandbox", "--port", str(port), "--max-connections-per-ip", "2000"]


def run(*, quick: bool = False) -> dict:
    learners = _setup_learners(LEARNERS)
    shape = "20x25" if quick else f"{LEARNERS} connections x 200"
    print(f"TCP, keep-alive GETs from one asyncio load generator ({shape} requests)")
    print(
        f"  the sandbox on PostgreSQL + Redis; {LEARNERS} learners, one key per connection; the"
        " per-key limit is raised for the bench (every request is still counted)"
    )
    results = {}
    port = _free_port()
    with _server(_sandbox_command(port), port, SERVER_ENV):
        plain = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
        results["sandbox"] = _measure("sandbox GET /books/1 (no key)", port, plain, quick)
        keyed = [
            f"GET /books/1 HTTP/1.1\r\nHost: {user.sandbox_key}.sandbox.localhost\r\n\r\n".encode()
            for user in learners[: 20 if quick else LEARNERS]
        ]
        results["sandbox_key"] = _measure(
            f"sandbox GET /books/1 ({len(keyed)} learner keys)", port, keyed, quick
        )
    ratio = results["sandbox_key"]["rps"] / results["sandbox"]["rps"]
    print(
        f"  keyed / no key = {ratio:.2f} (goal >= 0.50);  keyed p99 "
        f"{results['sandbox_key']['p99_ms']:.1f} ms (goal < 50 ms)"
    )
    results["writes"] = _writes(learners[:10], quick)
    results["stops"] = _stops(learners, quick)
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


# --- writes under concurrency, and what a stop loses --------------------------------


def _book_post(key: str, number: int) -> bytes:
    body = json.dumps({"title": f"Bench {number}", "author": "Load Test", "year": 2026}).encode()
    return (
        f"POST /books HTTP/1.1\r\nHost: {key}.sandbox.localhost\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def _poster(port: int, key: str, count: int, created: Counter, latencies: list) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for number in range(count):
        started = time.perf_counter()
        writer.write(_book_post(key, number))
        status, _ = await _read_response(reader)
        latencies.append(time.perf_counter() - started)
        created[key, status] += 1
    writer.close()


def _writes(learners: list, quick: bool) -> dict:
    """Five connections per learner POST books at once; every 201 must be a book in the
    learner's stored shop afterwards (no lost update), and every answer a recorded row."""
    from challenges.models import RecordedExchange, SandboxState
    from challenges.services import sandbox_reset

    for user in learners:
        sandbox_reset(user=user)
    per_connection = 10 if quick else 30
    before = RecordedExchange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    created: Counter = Counter()
    latencies: list[float] = []
    port = _free_port()
    with _server(_sandbox_command(port), port, SERVER_ENV):
        started = time.perf_counter()

        async def all_posters():
            await asyncio.gather(
                *(
                    _poster(port, user.sandbox_key, per_connection, created, latencies)
                    for user in learners
                    for _ in range(5)
                )
            )

        asyncio.run(all_posters())
        elapsed = time.perf_counter() - started
    # The server got SIGTERM when the block ended: it wrote every record before exiting.
    lost = 0
    for user in learners:
        books = len(SandboxState.objects.get(user=user).data["books"])
        lost += 6 + created[user.sandbox_key, 201] - books
    answers = sum(created.values())
    rows = RecordedExchange.objects.filter(pk__gt=before, user__in=learners).count()
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    others = sum(n for (_, status), n in created.items() if status != 201)
    print(
        f"  writes: {len(learners)} learners x 5 connections POST /books: {answers / elapsed:,.0f} req/s,"
        f" p99 {p99:.1f} ms; lost updates {lost} (goal 0)"
        + (f", {others} answers not 201" if others else "")
    )
    print(f"  SIGTERM after the writes: {answers} answers, {rows} rows recorded (goal: equal)")
    return {"rps": answers / elapsed, "lost": lost, "answers": answers, "rows": rows}


async def _numbered(port: int, key: str, offset: int, stop: float, received: list) -> None:
    """GET /books/1?n=... with a number per request, noting when each answer arrived."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        number = offset
        while time.monotonic() < stop:
            writer.write(
                f"GET /books/1?n={number} HTTP/1.1\r\nHost: {key}.sandbox.localhost\r\n\r\n".encode()
            )
            await _read_response(reader)
            received.append((number, time.monotonic()))
            number += 1
    except (ConnectionError, asyncio.IncompleteReadError):
        return  # the server was killed


def _stops(learners: list, quick: bool) -> dict:
    """Kill the server with SIGKILL mid-load, then match the rows to the answers received."""
    from challenges.models import RecordedExchange

    before = RecordedExchange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    port = _free_port()
    received: list[tuple[int, float]] = []
    with _server(_sandbox_command(port), port, SERVER_ENV) as process:

        async def load_then_kill():
            stop = time.monotonic() + 30
            clients = [
                asyncio.create_task(_numbered(port, user.sandbox_key, i * 10**6, stop, received))
                for i, user in enumerate(learners)
            ]
            await asyncio.sleep(1.0 if quick else 3.0)
            killed = time.monotonic()
            os.killpg(process.pid, signal.SIGKILL)  # the server and its writer process at once
            await asyncio.gather(*clients)
            return killed

        killed = asyncio.run(load_then_kill())
    targets = RecordedExchange.objects.filter(pk__gt=before, user__in=learners).values_list(
        "target", flat=True
    )
    stored = {int(target.rsplit("=", 1)[1]) for target in targets if "?n=" in target}
    missing = [(number, at) for number, at in received if number not in stored]
    early = [1 for _, at in missing if at < killed - 0.2]
    oldest = max((killed - at for _, at in missing), default=0.0) * 1000
    print(
        f"  SIGKILL of the server and its writer mid-load: {len(received):,} answers received, {len(missing)} not recorded, "
        f"the oldest {oldest:.0f} ms before the kill (goal <= 200 ms); "
        f"{len(early)} older than 200 ms (goal 0)"
    )
    return {"answers": len(received), "missing": len(missing), "oldest_ms": oldest}


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


if __name__ == "__main__":
    # Its own process: it points Django at the bench's PostgreSQL database and Redis db.
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.tcp")
    parser.add_argument("--quick", action="store_true")
    run(quick=parser.parse_args().quick)
