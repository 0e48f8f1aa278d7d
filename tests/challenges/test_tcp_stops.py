"""What a stop of `manage.py sandbox` costs its batched recording, proved on a real process.

Learners send numbered GETs over keep-alive connections while the server is
stopped mid-load; then the recorded rows are matched, number by number,
against the answers the clients received. SIGTERM must lose nothing; SIGKILL
may lose only answers sent in the last 200 ms (the recorder writes every
100 ms). On PostgreSQL, since the server runs in a process of its own and
must see the test database.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from challenges.models import RecordedExchange
from challenges.retention import KEEP_EXCHANGES
from tests.factories import UserFactory
from tests.sandbox.server_harness import run_coroutine

ROOT = Path(__file__).resolve().parents[2]
LEARNERS = 16
# Each learner keeps only their newest KEEP_EXCHANGES rows: send fewer, or retention
# itself would delete the first answers' rows.
PER_LEARNER = KEEP_EXCHANGES - 100
pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    settings = connection.settings_dict
    user, host = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _start_sandbox(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SANDBOX_KEY_REQUESTS_PER_MINUTE": "1000000",
        "SANDBOX_RECORD_INTERVAL_MS": "50",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "sandbox", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the server and its writer process
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the sandbox did not start: {process.communicate()[1][-2000:]}")


async def _numbered_gets(port: int, key: str, first: int, received: dict) -> None:
    """Send GET /books/1?n=... one after another, noting when each answer arrived."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return
    number = first
    try:
        while number < first + PER_LEARNER:
            writer.write(
                f"GET /books/1?n={number} HTTP/1.1\r\nHost: {key}.sandbox.localhost\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0])
            await reader.readexactly(length)
            # Only the bookshop's answers are recorded: a 500 from an overloaded machine
            # (no database connection to be had) is answered, and rightly not recorded.
            if head.startswith(b"HTTP/1.1 200 "):
                received[number] = time.monotonic()

            number += 1
    except (ConnectionError, asyncio.IncompleteReadError, OSError):
        return  # the server stopped
    finally:
        writer.close()


def _load_then_stop(port: int, keys: list[str], stop) -> tuple[dict, float]:
    """Load the server for a second, call `stop()`, and return the answers received
    (number: arrival time) and the moment of the stop."""
    received: dict[int, float] = {}

    async def run() -> float:
        clients = [
            asyncio.create_task(_numbered_gets(port, key, index * 1_000_000, received))
            for index, key in enumerate(keys)
        ]
        await asyncio.sleep(1.0)
        stopped_at = time.monotonic()
        stop()
        async with asyncio.timeout(30):
            await asyncio.gather(*clients)
        return stopped_at

    return received, run_coroutine(run())


def _recorded_numbers(users) -> set[int]:
    targets = RecordedExchange.objects.filter(user__in=users, source="tcp").values_list(
        "target", flat=True
    )
    return {int(target.rsplit("=", 1)[1]) for target in targets}


def test_sigterm_mid_load_records_every_answer_sent(postgres_only):
    learners = UserFactory.create_batch(LEARNERS)
    port = _free_port()
    server = _start_sandbox(port)
    received, stopped_at = _load_then_stop(
        port, [learner.sandbox_key for learner in learners], server.terminate
    )
    out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err[-2000:]
    assert len(received) > 50, "the load never got going"
    assert max(received.values()) > stopped_at - 0.1, "the load was over before the stop"
    recorded = _recorded_numbers(learners)
    assert set(received) <= recorded, f"{len(set(received) - recorded)} answers were not recorded"
    assert len(recorded - set(received)) <= LEARNERS  # at most the requests in flight
    assert "exchanges recorded" in out


def test_sigkill_mid_load_loses_at_most_the_last_200_ms(postgres_only):
    """The worst case: the server and its writer process are killed at the same instant."""
    learners = UserFactory.create_batch(LEARNERS)
    port = _free_port()
    server = _start_sandbox(port)
    received, killed_at = _load_then_stop(
        port,
        [learner.sandbox_key for learner in learners],
        lambda: os.killpg(server.pid, signal.SIGKILL),
    )
    server.communicate(timeout=30)
    assert server.returncode == -signal.SIGKILL
    assert len(received) > 50, "the load never got going"
    assert max(received.values()) > killed_at - 0.1, "the load was over before the kill"
    recorded = _recorded_numbers(learners)
    lost = {number: at for number, at in received.items() if number not in recorded}
    older = sorted(killed_at - at for at in lost.values() if at < killed_at - 0.2)
    assert not older, (
        f"{len(older)} answers older than 200 ms were lost (the oldest {older[-1]:.3f} s)"
    )
    # Beyond the answers received, at most the request each connection had in flight.
    assert len(recorded - set(received)) <= LEARNERS
