"""Editor sends under the production server: `POST /challenges/<slug>/send/` as htmx posts it.

`python -m bench.sends [--quick]` runs in its own process, on PostgreSQL
(SENDS_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/hs_sends_bench)
and Redis (SENDS_REDIS_URL, default redis://127.0.0.1:6379/13), with the
production settings (DJANGO_DEBUG=false), under gunicorn started as
bench.pages starts it (deploy/gunicorn.conf.py).

Each learner is logged in (a session made in process, as bench.pages does),
fetches the challenge page over HTTP for its CSRF cookie and token, and sends
the request that solves the challenge's only step, with the headers htmx
sends (HX-Request, HX-Target, HX-Current-URL, X-CSRFToken) and the form body
the editor posts. One send per learner beforehand solves it, so every send
measured is the steady case: a passing attempt, recorded and graded, in
practice mode.

The rate limit (challenges.submissions.SUBMISSIONS_PER_MINUTE a learner) is
kept in the path and never raised: each phase has learners of its own, and
the saturation phase moves each client on to a fresh learner before it
reaches the limit. The cache counters are cleared first, so runs a minute
apart do not share a window.

Queries and Redis round trips per send are counted in process (Django's test
client, same database) for a learner with few rows, and again after 10,000
more rows of everything a send reads (exchanges, submissions, progress rows
of the challenge, XP awards, active days), outside a transaction as under
gunicorn (a rolled-back probe would never run what waits for its commit, such
as the day's activity mark, and so count a query production does not make);
the probe learner and its rows are deleted afterwards. A pass right after a
failed attempt reads that attempt's diagnostics too: one query more, whatever
the rows.
"""

import argparse
import asyncio
import base64
import http.client
import io
import json
import os
import re
import secrets
import statistics
import subprocess
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from bench.pages import _free_port, _gunicorn, _read_response, _wait_for_port

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "SENDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hs_sends_bench"
)
REDIS_URL = os.environ.get("SENDS_REDIS_URL", "redis://127.0.0.1:6379/13")
CACHE_PREFIX = "bench-sends"
CHALLENGE = "anatomy-first-request"
SOLUTION = "GET /books HTTP/1.1\nHost: sandbox.localhost\n\n"
LEARNERS = 20
GROWTH = 10_000
GOAL_MS = 30.0

PRODUCTION_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": CACHE_PREFIX,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
    "LOG_LEVEL": "WARNING",
}


def _setup() -> None:
    os.environ.update(PRODUCTION_ENV)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_content", stdout=io.StringIO())
    cache.delete_pattern("*")  # this run's rate-limit windows start empty


def _learners(learner_count: int) -> list:
    """The bench's learners, made on the first run."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    names = [f"sends-{n:04d}" for n in range(learner_count)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        User(username=name, email=f"{name}@example.invalid", password="!")
        for name in names
        if name not in have
    )
    return list(User.objects.filter(username__in=names).order_by("username"))


# --- In process: queries and Redis round trips per send --------------------------


class _RedisTrips:
    """Counts commands sent to Redis (a pipeline is one trip), while active."""

    def __enter__(self):
        from redis.connection import Connection

        self.count, self._original = 0, Connection.send_packed_command

        def counted(connection, *args, **kwargs):
            self.count += 1
            return self._original(connection, *args, **kwargs)

        Connection.send_packed_command = counted
        return self

    def __exit__(self, *exc):
        from redis.connection import Connection

        Connection.send_packed_command = self._original


def _send_in_process(client) -> tuple[int, int, float]:
    """(queries, Redis trips, CPU ms) of one htmx send through the whole middleware stack."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/challenges/{CHALLENGE}/send/"
    with CaptureQueriesContext(connection) as queries, _RedisTrips() as trips:
        started = time.process_time()
        response = client.post(
            path,
            _form_fields(""),
            secure=True,
            headers={"HX-Request": "true", "HX-Target": "result"},
        )
        cpu = time.process_time() - started
    if response.status_code != 200 or b"passed" not in response.content:
        raise RuntimeError(f"the in-process send answered {response.status_code}")
    return len(queries), trips.count, cpu * 1000


def grow_rows(*, learner, count: int, tag: str) -> None:
    """`count` more rows of each kind a send reads or writes beside: the learner's exchanges,
    submissions on the challenge, XP awards and active days, and other learners' progress."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import ActivityDay, XpAward
    from challenges.models import Challenge, ChallengeProgress, RecordedExchange, Submission

    now = timezone.now()
    challenge = Challenge.objects.get(slug=CHALLENGE)
    exchanges = RecordedExchange.objects.bulk_create(
        RecordedExchange(
            user=learner,
            source="editor",
            raw_request=b"GET /books HTTP/1.1\r\n\r\n",
            raw_response=b"HTTP/1.1 200 OK\r\n\r\n",
            diagnostics=[],
            status=200,
        )
        for _ in range(count)
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            user=learner,
            challenge=challenge,
            step=0,
            source="editor",
            raw_request=b"GET /books HTTP/1.1\r\n\r\n",
            results=[],
            passed=n % 2 != count % 2,
        )
        for n in range(count)
    )  # fmt: skip  (half of them passed, the newest too, as the learner's own last send did)
    Submission.exchanges.through.objects.bulk_create(
        Submission.exchanges.through(submission=s, recordedexchange=e)
        for s, e in zip(submissions, exchanges, strict=True)
    )
    XpAward.objects.bulk_create(
        XpAward(user=learner, source=f"grow:{tag}:{n}", points=1, awarded_at=now)
        for n in range(count)
    )
    ActivityDay.objects.bulk_create(
        ActivityDay(user=learner, day=(now - timedelta(days=n + 2)).date()) for n in range(count)
    )
    User = get_user_model()
    others = User.objects.bulk_create(
        User(username=f"grow-{tag}-{n}", email=f"grow-{tag}-{n}@example.invalid", password="!")
        for n in range(count)
    )
    ChallengeProgress.objects.bulk_create(
        ChallengeProgress(user=other, challenge=challenge, status="solved") for other in others
    )


def query_counts(growth: int = GROWTH) -> dict:
    """Queries, Redis trips and CPU ms of a send: a new learner's first (the solve), then a
    steady send (practice), then a steady send after `growth` more rows.

    Outside any transaction, as under gunicorn (what waits for a commit, such as the
    day's activity mark, happens); the probe learner and the rows it grew are deleted after.
    """
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    tag = secrets.token_hex(3)
    learner = User.objects.create(username=f"probe-{tag}", email="probe@example.invalid")
    try:
        client = Client()
        client.force_login(learner)
        client.get(f"/challenges/{CHALLENGE}/", secure=True)
        solve = _send_in_process(client)
        _send_in_process(client)  # warm: templates, content caches
        steady = [_send_in_process(client) for _ in range(5)]
        grow_rows(learner=learner, count=growth, tag=tag)
        grown = _send_in_process(client)
    finally:
        User.objects.filter(username__startswith=f"grow-{tag}-").delete()
        learner.delete()
    return {
        "solve": solve,
        "steady": steady[-1],
        "grown": grown,
        "cpu_ms": statistics.median(cpu for _, _, cpu in steady),
    }


# --- Over HTTP: log in, fetch the page, send -------------------------------------------


def _form_fields(csrf: str) -> dict:
    crlf = SOLUTION.replace("\n", "\r\n")  # what a browser posts from a textarea
    fields = {"request": crlf, "raw_b64": base64.b64encode(SOLUTION.encode()).decode()}
    fields["line_endings"] = "crlf"
    return {"csrfmiddlewaretoken": csrf, **fields} if csrf else fields


def _log_in(learner, port: int) -> bytes:
    """The learner's htmx send as raw bytes: session made in process, CSRF from the page."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(learner)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    page = f"/challenges/{CHALLENGE}/"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", page, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"the challenge page answered {response.status}")
    token = json.loads(re.search(r"hx-headers='([^']*)'", body).group(1))["X-CSRFToken"]
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(settings.CSRF_COOKIE_NAME + "="):
            cookie += "; " + value.split(";", 1)[0]
    form = urlencode(_form_fields(token)).encode()
    origin = "https://127.0.0.1"
    head = [
        f"POST {page}send/ HTTP/1.1",
        "Host: 127.0.0.1",
        "X-Forwarded-Proto: https",
        f"Cookie: {cookie}",
        f"Origin: {origin}",
        f"Referer: {origin}{page}",
        "HX-Request: true",
        f"HX-Current-URL: {origin}{page}",
        "HX-Target: result",
        "HX-Trigger: send-form",
        f"X-CSRFToken: {token}",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(form)}",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + form


class _Sender:
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


# --- The three loads ---------------------------------------------------------------


async def _burst(senders: list[_Sender], rounds: int, statuses: Counter) -> list[float]:
    """Every learner sends at the same instant, `rounds` times, a pause between rounds."""
    latencies = []
    for _ in range(rounds):
        for status, elapsed in await asyncio.gather(*(s.send() for s in senders)):
            statuses[status] += 1
            latencies.append(elapsed)
        await asyncio.sleep(0.5)
    return latencies


async def _sustained(senders: list[_Sender], period: float, seconds: float, statuses: Counter):
    """Each learner sends every `period` s for `seconds`; learner i starts i/n of a period in,
    so the sends arrive evenly spaced, n per period."""
    latencies = []
    start = time.perf_counter() + 0.2

    async def learner(index: int, sender: _Sender) -> None:
        due = start + index * period / len(senders)
        while due < start + seconds:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            status, elapsed = await sender.send()
            statuses[status] += 1
            latencies.append(elapsed)
            due += period

    await asyncio.gather(*(learner(n, s) for n, s in enumerate(senders)))
    return latencies


async def _saturation(clients: list[list[_Sender]], per_learner: int, seconds: float, statuses):
    """Closed loop: each client sends back to back, moving to its next learner after
    `per_learner` sends (under the rate limit), until `seconds` pass or its learners run out."""
    latencies = []
    deadline = time.perf_counter() + seconds

    async def client(senders: list[_Sender]) -> None:
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


class _CpuMeter:
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


# --- The run ---------------------------------------------------------------------


def _percentiles(latencies: list[float]) -> dict:
    ordered = sorted(latencies)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * share) - 1))] * 1000

    return {"n": len(ordered), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


def _line(name: str, figures: dict, statuses: Counter) -> str:
    mark = "ok" if figures["p95"] < GOAL_MS else "ABOVE"
    others = "".join(f", {n} answered {s}" for s, n in sorted(statuses.items()) if s != 200)
    return (
        f"  {name:<44} {figures['n']:>5} sends  p50 {figures['p50']:6.1f}  p95 {figures['p95']:6.1f}"
        f"  p99 {figures['p99']:6.1f} ms   p95 < {GOAL_MS:.0f} ms {mark}{others}"
    )


def run(*, quick: bool = False) -> dict:
    _setup()
    from challenges.submissions import SUBMISSIONS_PER_MINUTE

    rounds, sustained_s, saturation_s = (5, 12.0, 5.0) if quick else (10, 30.0, 15.0)
    per_learner = SUBMISSIONS_PER_MINUTE - 1  # the solve beforehand took one place
    max_sends = 600 if quick else 2000
    pool = -(-max_sends // per_learner)
    learners = _learners(2 * LEARNERS + pool)
    period = 60.0 / SUBMISSIONS_PER_MINUTE
    print(
        f"Editor sends (POST /challenges/{CHALLENGE}/send/, htmx) under gunicorn on "
        f"PostgreSQL and Redis; {LEARNERS} learners at once; the rate limit of "
        f"{SUBMISSIONS_PER_MINUTE} a minute a learner stays in the path (each phase has learners "
        "of its own, never raised)"
    )
    counts = query_counts()

    port = _free_port()
    command, described = _gunicorn(port)
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESSLOG": "off"}
    env["GUNICORN_LOGLEVEL"] = "warning"
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    phases: dict[str, tuple[dict, Counter]] = {}
    try:
        _wait_for_port(port, process)
        print(f"  server: {described}; logging {len(learners)} learners in")
        requests = [_log_in(learner, port) for learner in learners]

        async def solve_all() -> None:  # one send each: the solve, so later sends are steady
            for chunk in range(0, len(requests), LEARNERS):
                senders = [_Sender(port, r) for r in requests[chunk : chunk + LEARNERS]]
                await asyncio.gather(*(s.send() for s in senders))
                for sender in senders:
                    sender.close()

        asyncio.run(solve_all())
        burst_set = [_Sender(port, r) for r in requests[:LEARNERS]]
        statuses = Counter()
        phases["burst"] = (asyncio.run(_burst(burst_set, rounds, statuses)), statuses)
        steady_set = [_Sender(port, r) for r in requests[LEARNERS : 2 * LEARNERS]]
        statuses = Counter()
        latencies = asyncio.run(_sustained(steady_set, period, sustained_s, statuses))
        phases["sustained"] = (latencies, statuses)
        rest = requests[2 * LEARNERS :]
        clients = [[_Sender(port, r) for r in rest[n::LEARNERS]] for n in range(LEARNERS)]
        statuses = Counter()
        with _CpuMeter(process.pid) as cpu:
            latencies, elapsed = asyncio.run(
                _saturation(clients, per_learner, saturation_s, statuses)
            )
        phases["saturation"] = (latencies, statuses)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()

    figures = {name: _percentiles(latencies) for name, (latencies, _) in phases.items()}
    burst, sustained, saturation = (phases[name][1] for name in phases)
    print(
        _line(
            f"burst: all {LEARNERS} at the same instant, {rounds} rounds", figures["burst"], burst
        )
    )
    print(
        _line(
            f"sustained: each every {period:.0f} s, staggered, {sustained_s:.0f} s",
            figures["sustained"],
            sustained,
        )
    )
    sends = figures["saturation"]["n"]
    rate = sends / elapsed
    print(
        _line(
            f"saturation: {LEARNERS} clients back to back, {elapsed:.0f} s",
            figures["saturation"],
            saturation,
        )
    )
    print(
        f"  capacity: {rate:,.0f} sends/s; CPU per send {cpu.server / sends * 1000:.1f} ms in gunicorn"
        f" + {cpu.database / sends * 1000:.1f} ms in PostgreSQL (2 cores: at most "
        f"{2000 / (1000 * (cpu.server + cpu.database) / sends):,.0f} sends/s)"
    )
    print(
        f"  in process: a steady send costs {counts['cpu_ms']:.1f} ms of CPU "
        f"(Django test client, whole middleware stack)"
    )
    (sq, sr, _), (gq, gr, _), (fq, fr, _) = counts["steady"], counts["grown"], counts["solve"]
    same = "ok" if (sq, sr) == (gq, gr) else "GROWS"
    print(
        f"  queries per send: {sq} (Redis trips {sr}) with few rows, {gq} (Redis trips {gr}) "
        f"after +{GROWTH:,} rows: constant {same}; a first solve: {fq} queries, {fr} Redis trips"
    )
    return {"figures": figures, "rate": rate, "counts": counts}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sends", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer sends, for a smoke run")
    run(quick=parser.parse_args().quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
