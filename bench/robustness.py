"""The TCP sandbox under attack: a monitor client's latency, the server's memory, stored bytes.

`manage.py sandbox` runs in its own process with its default limits. A second
process (`python -m bench.robustness attack`, at a lower CPU priority, since
real attackers would not share the server's CPU) opens 500 slowloris
connections (a partial head, then a byte a second, reconnecting when cut off)
from 127.0.0.2-6, and 100 clients from 127.0.0.7 that ask for 16 KB answers
twice a second and never read them, each with a small receive buffer.
Meanwhile this process is the monitor: one keep-alive connection from 127.0.0.1 sending GET /books/1 every 20 ms, whose
p99 is the figure. RSS is read from /proc before the attack, at its peak and
after it. Then one learner key floods the server with 300 requests of 30 KB
and the bytes stored for that learner are counted. Bounded in time and count,
loopback only.
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.tcp import PY, ROOT, _free_port, _read_response, _rss_kib, _server

SLOWLORIS = 500
NEVER_READING = 100
P99_GOAL_MS = 50
RSS_GOAL_MB = 20
# Each never-reading client asks for 16 KB answers twice a second: its unread output
# grows fast while its requests cost little (the attack is on memory and
# connections; a flood of requests is another attack, with other defences).
NEVER_READING_ANSWER_BYTES = 16_000
NEVER_READING_PAUSE = 0.5
FLOOD_REQUESTS = 300
FLOOD_BODY_BYTES = 30_000


# --- the attacker (its own process, so the monitor's loop is not slowed by it) ---


async def _slowloris(port: int, source: str, stop: float, counts: dict) -> None:
    while time.monotonic() < stop:
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(source, 0)
            )
        except OSError:
            await asyncio.sleep(0.5)
            continue
        counts["slowloris_connections"] += 1
        try:
            writer.write(b"GET /books HTTP/1.1\r\nHost: sandbox.localhost\r\nX-Slow: ")
            while time.monotonic() < stop:
                try:
                    async with asyncio.timeout(1.0):
                        answer = await reader.read(4096)
                except TimeoutError:
                    writer.write(b"a")  # one more byte of a head that never ends
                    await writer.drain()
                    continue
                if answer.startswith(b"HTTP/1.1 408"):
                    counts["slowloris_cut_off"] += 1
                break  # answered or closed: come back, as a slowloris does
        except OSError:
            pass
        finally:
            writer.close()


async def _never_reading(port: int, source: str, stop: float, counts: dict) -> None:
    body = json.dumps({"notes": "x" * NEVER_READING_ANSWER_BYTES})
    request = (
        "POST /echo HTTP/1.1\r\nHost: sandbox.localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n{body}"
    ).encode()
    while time.monotonic() < stop:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        sock.bind((source, 0))
        loop = asyncio.get_running_loop()
        try:
            await loop.sock_connect(sock, ("127.0.0.1", port))
            counts["never_reading_connections"] += 1
            while time.monotonic() < stop:
                try:
                    sent = sock.send(request)  # never read a byte of the answers
                except BlockingIOError:
                    sent = 0  # our send buffer is full: the server stopped reading
                except OSError:
                    counts["never_reading_closed_by_server"] += 1
                    break
                if sent and sent < len(request):
                    break
                await asyncio.sleep(NEVER_READING_PAUSE)
        except OSError:
            await asyncio.sleep(0.5)
        finally:
            sock.close()


async def _attack(port: int, seconds: float, slowloris: int, never_reading: int) -> dict:
    stop = time.monotonic() + seconds
    counts = dict.fromkeys(
        [
            "slowloris_connections",
            "slowloris_cut_off",
            "never_reading_connections",
            "never_reading_closed_by_server",
        ],
        0,
    )
    slow = [
        _slowloris(port, f"127.0.0.{2 + index % 5}", stop, counts) for index in range(slowloris)
    ]
    deaf = [_never_reading(port, "127.0.0.7", stop, counts) for _ in range(never_reading)]
    await asyncio.gather(*slow, *deaf)
    return counts


# --- the monitor and the figures ---


async def _monitor(port: int, seconds: float) -> tuple[list[float], int]:
    """One keep-alive client: a GET every 20 ms; return latencies and failures."""
    request = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
    latencies, failures = [], 0
    stop = time.monotonic() + seconds
    reader = writer = None
    while time.monotonic() < stop:
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status, keep = await asyncio.wait_for(_read_response(reader), 5)
            if status != 200:
                failures += 1
            latencies.append(time.perf_counter() - started)
            if not keep:
                writer.close()
                reader = writer = None
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            failures += 1
            latencies.append(time.perf_counter() - started)
            reader = writer = None
        await asyncio.sleep(0.02)
    if writer is not None:
        writer.close()
    return latencies, failures


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _p99_ms(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000


def _flood_learner() -> tuple[object, str]:
    import django

    django.setup()
    from accounts.models import User
    from challenges.models import RecordedExchange

    user, _ = User.objects.get_or_create(
        username="bench-flood", defaults={"email": "bench-flood@example.org"}
    )
    RecordedExchange.objects.filter(user=user).delete()
    return user, user.sandbox_key


def _flood(port: int, key: str) -> dict:
    body = json.dumps({"notes": "x" * FLOOD_BODY_BYTES})
    request = (
        f"POST /echo HTTP/1.1\r\nHost: {key}.sandbox.localhost\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}"
    ).encode()
    statuses: dict[int, int] = {}

    async def send_all():
        reader = writer = None
        for _ in range(FLOOD_REQUESTS):
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status, keep = await _read_response(reader)
            statuses[status] = statuses.get(status, 0) + 1
            if not keep:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    asyncio.run(send_all())
    return {"statuses": statuses, "seconds": time.perf_counter() - started}


def _stored_bytes(user) -> tuple[int, int]:
    from challenges.models import RecordedExchange

    rows = RecordedExchange.objects.filter(user=user)
    total = 0
    for row in rows:
        total += len(bytes(row.raw_request)) + len(bytes(row.raw_response))
        total += len(json.dumps(row.request_data)) + len(json.dumps(row.response_data))
        total += len(json.dumps(row.diagnostics))
    return rows.count(), total


def _worst_case_row_bytes() -> int:
    """The most one stored exchange can take, from the limits: a head of the largest
    request line and header section, each body cut, the parsed copies, the diagnostics."""
    from challenges.retention import STORED_BODY_BYTES
    from challenges.sandbox import LIMITS

    head = LIMITS.request_line_bytes + LIMITS.header_section_bytes
    raw = head + STORED_BODY_BYTES + 1024 + STORED_BODY_BYTES  # request, then response
    parsed = head + STORED_BODY_BYTES + 1024 + STORED_BODY_BYTES
    diagnostics = LIMITS.header_fields * 700  # one long message per field line, at most
    return raw + parsed + diagnostics


def run(
    *, quick: bool = False, slowloris: int = SLOWLORIS, never_reading: int = NEVER_READING
) -> dict:
    seconds = 6 if quick else 20
    port = _free_port()
    command = [PY, "manage.py", "sandbox", "--port", str(port)]
    print(
        f"Robustness: {slowloris} slowloris and {never_reading} never-reading clients for {seconds} s, "
        "default limits"
    )
    with _server(command, port) as process:
        asyncio.run(_monitor(port, 1))  # warm up
        calm, _ = asyncio.run(_monitor(port, 3))  # the same client with no attack, for scale
        time.sleep(0.5)
        rss_before = _rss_kib(process.pid)
        attacker = subprocess.Popen(
            [
                PY,
                "-m",
                "bench.robustness",
                "attack",
                "--port",
                str(port),
                "--seconds",
                str(seconds),
                "--slowloris",
                str(slowloris),
                "--never-reading",
                str(never_reading),
            ],
            cwd=ROOT,
            env=os.environ,
            stdout=subprocess.PIPE,
            text=True,
            # Real attackers do not share the server's CPU: on this one machine, they
            # get what the server and the monitor leave.
            preexec_fn=lambda: os.nice(10),
        )
        time.sleep(2)  # let the attack take hold
        peak = rss_before
        cpu_started, wall_started = _cpu_seconds(process.pid), time.monotonic()

        async def monitor_and_sample():
            nonlocal peak
            task = asyncio.ensure_future(_monitor(port, seconds - 3))
            while not task.done():
                peak = max(peak, _rss_kib(process.pid))
                await asyncio.sleep(0.5)
            return task.result()

        latencies, failures = asyncio.run(monitor_and_sample())
        cpu_share = (_cpu_seconds(process.pid) - cpu_started) / (time.monotonic() - wall_started)
        load = os.getloadavg()[0]
        counts = json.loads(attacker.communicate(timeout=seconds + 30)[0])
        time.sleep(5)  # the server ends what the attackers left behind (linger, timeouts)
        rss_after = _rss_kib(process.pid)
        user, key = _flood_learner()
        flood = _flood(port, key)
        rows, stored = _stored_bytes(user)
    p99 = _p99_ms(latencies)
    growth_mb = (rss_after - rss_before) / 1024
    print(
        f"  monitor: {len(latencies)} requests, {failures} failed, p99 {p99:.1f} ms "
        f"(goal < {P99_GOAL_MS} ms; {_p99_ms(calm):.1f} ms with no attack)"
    )
    print(
        f"  sandbox CPU during the attack: {cpu_share:.0%} of one core "
        f"(machine load average {load:.1f} on {os.cpu_count()} cores)"
    )
    print(
        f"  attack: {counts['slowloris_connections']} slowloris connections "
        f"({counts['slowloris_cut_off']} cut off with 408), {counts['never_reading_connections']} "
        f"never-reading connections ({counts['never_reading_closed_by_server']} seen closed by the server)"
    )
    print(
        f"  sandbox RSS: {rss_before / 1024:.1f} MB before, {peak / 1024:.1f} MB at the peak, "
        f"{rss_after / 1024:.1f} MB after: growth {growth_mb:+.1f} MB (goal < {RSS_GOAL_MB} MB)"
    )
    answered = ", ".join(
        f"{count} x {status}" for status, count in sorted(flood["statuses"].items())
    )
    print(
        f"  flood: {FLOOD_REQUESTS} requests of {FLOOD_BODY_BYTES // 1000} KB with one learner key in "
        f"{flood['seconds']:.1f} s ({answered}): {rows} exchanges, {stored / 1e6:.2f} MB stored"
    )
    from challenges.retention import KEEP_EXCHANGES, PRUNE_EVERY
    from challenges.tcp import TCP_REQUESTS_PER_MINUTE

    ceiling_rows = KEEP_EXCHANGES + PRUNE_EVERY + 9  # one write adds at most 10 rows
    worst_row = _worst_case_row_bytes()
    print(
        f"  worst case per learner: {TCP_REQUESTS_PER_MINUTE * 60:,} keyed requests an hour; at most "
        f"{ceiling_rows} rows kept x {worst_row / 1024:.0f} KiB = {ceiling_rows * worst_row / 1e6:.0f} MB "
        "stored, whatever the hour (pruned on write)\n"
    )
    return {
        "p99_ms": p99,
        "failures": failures,
        "rss_before_kib": rss_before,
        "rss_after_kib": rss_after,
        "stored_bytes": stored,
        "rows": rows,
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.robustness")
    parser.add_argument("role", choices=["attack"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--slowloris", type=int, default=SLOWLORIS)
    parser.add_argument("--never-reading", type=int, default=NEVER_READING)
    args = parser.parse_args()
    counts = asyncio.run(_attack(args.port, args.seconds, args.slowloris, args.never_reading))
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
