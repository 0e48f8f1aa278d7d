"""The load side of bench.sends: one keep-alive connection per learner, three ways to
send, and the CPU the server and the database spent meanwhile (from /proc)."""

import asyncio
import os
import time
from collections import Counter
from pathlib import Path

from bench.pages import _read_response


class Sender:
    """One learner's keep-alive connection; `send()` returns (status, seconds)."""

    def __init__(self, port: int, request: bytes):
        self.port, self.request = port, request
        self.reader = self.writer = None

    async def send(self) -> tuple[int, float]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        started = time.perf_counter()
        self.writer.write(self.request)
        status, keep = await _read_response(self.reader)
        elapsed = time.perf_counter() - started
        if not keep:
            self.close()
        return status, elapsed

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def burst(senders: list[Sender], rounds: int, statuses: Counter) -> list[float]:
    """Every learner sends at the same instant, `rounds` times, a pause between rounds."""
    latencies = []
    for _ in range(rounds):
        for status, elapsed in await asyncio.gather(*(s.send() for s in senders)):
            statuses[status] += 1
            latencies.append(elapsed)
        await asyncio.sleep(0.5)
    return latencies


async def sustained(senders: list[Sender], period: float, seconds: float, statuses: Counter):
    """Each learner sends every `period` s for `seconds`; learner i starts i/n of a period in,
    so the sends arrive evenly spaced, n per period."""
    latencies = []
    start = time.perf_counter() + 0.2

    async def learner(index: int, sender: Sender) -> None:
        due = start + index * period / len(senders)
        while due < start + seconds:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            status, elapsed = await sender.send()
            statuses[status] += 1
            latencies.append(elapsed)
            due += period

    await asyncio.gather(*(learner(n, s) for n, s in enumerate(senders)))
    return latencies


async def saturation(clients: list[list[Sender]], per_learner: int, seconds: float, statuses):
    """Closed loop: each client sends back to back, moving to its next learner after
    `per_learner` sends (under the rate limit), until `seconds` pass or its learners run out."""
    latencies = []
    deadline = time.perf_counter() + seconds

    async def client(senders: list[Sender]) -> None:
        for sender in senders:
            for _ in range(per_learner):
                if time.perf_counter() > deadline:
                    return
                status, elapsed = await sender.send()
                statuses[status] += 1
                latencies.append(elapsed)
            sender.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(senders) for senders in clients))
    return latencies, time.perf_counter() - started


# --- CPU spent by the server and the database --------------------------------------


def _cpu_seconds(pids) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone: a worker restarted, or a backend closed
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def _server_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [master, *(int(pid) for pid in children.read_text().split())]


def _database_pids() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


class CpuMeter:
    """CPU seconds of gunicorn (master and workers) and of this database's backends."""

    def __init__(self, master: int):
        self.master = master

    def __enter__(self):
        self.server = _cpu_seconds(_server_pids(self.master))
        self.backends = {pid: _cpu_seconds([pid]) for pid in _database_pids()}
        return self

    def __exit__(self, *exc):
        self.server = _cpu_seconds(_server_pids(self.master)) - self.server
        pids = _database_pids()
        self.database = sum(_cpu_seconds([pid]) - self.backends.get(pid, 0.0) for pid in pids)
