"""Main pages under the production server, beside a Django hello world on the same server.

`python -m bench.pages [--quick]` runs in its own process, on PostgreSQL
(PAGES_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/hs_pages_bench)
and Redis (PAGES_REDIS_URL, default redis://127.0.0.1:6379/10), with the
production settings (DJANGO_DEBUG=false). The first run seeds the database
(`seed_demo --users 1000 --events 20000 --group-size 200`, about 10 s); later
runs reuse it.

The viewer is a logged-in learner in the 200-member group, with a quiz run in
progress and attempts on a challenge. The pages are the main ones a learner
opens: home (as a visitor), dashboard, quiz index and question, challenge
index and one challenge, the sandbox reference, the group page, the
leaderboard, the learning path (/learn/) and its first unit's page. gunicorn serves `bench.pages_wsgi` with
deploy/gunicorn.conf.py when it exists (else the same gthread settings given
on the command line); one asyncio load generator on 127.0.0.1 sends a fixed
number of keep-alive GETs per page. Hello world is measured before and after
the pages and its mean is the reference.

Queries per page are counted in process, on the same database, at the seeded
size and again after 10,000 more rows of every kind a page lists (learners in
the group and on the boards, the viewer's XP awards, attempts and quiz runs),
added in a transaction that is rolled back. The two counts must be equal.
"""

import argparse
import asyncio
import io
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.databases import database_ensure

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "PAGES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hs_pages_bench"
)
REDIS_URL = os.environ.get("PAGES_REDIS_URL", "redis://127.0.0.1:6379/10")
LEARNER = "demo-000001"  # a member (not the owner) of seed_demo's group
GROWTH = 10_000
GOAL = 0.2
HELLO_PATH = "/bench/hello/"

PRODUCTION_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": "bench-pages",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
    "LOG_LEVEL": "WARNING",
}


# --- The data set and the viewer ---------------------------------------------


def _setup() -> None:
    os.environ.update(PRODUCTION_ENV)
    database_ensure(DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    quiet = io.StringIO()
    call_command("load_content", stdout=quiet)
    from accounts.models import User

    if not User.objects.filter(username=LEARNER).exists():
        print("  seeding 1,000 learners, 20,000 XP awards and a group of 200 (first run only)")
        call_command("seed_demo", users=1000, events=20000, group_size=200, stdout=quiet)


def viewer_pages(learner) -> dict[str, tuple[str, bool]]:
    """Each main page as (path, logged in), with the learner's own run and attempts in place."""
    from challenges.models import Challenge, Submission
    from challenges.submissions import challenge_submit
    from classroom.models import Membership
    from curriculum.models import Topic, Unit
    from quiz.services import quiz_run_start

    run = quiz_run_start(user=learner, kind="topic", topic=Topic.objects.order_by("pk").first())
    challenge = Challenge.objects.filter(is_active=True).order_by("topic__order", "order").first()
    while Submission.objects.filter(user=learner, challenge=challenge).count() < 3:
        challenge_submit(user=learner, challenge=challenge, data=b"GET /nowhere HTTP/1.1\r\n\r\n")
    group = Membership.objects.filter(user=learner).select_related("group").first().group
    unit = Unit.objects.filter(is_active=True).order_by("number").first()
    return {
        "home (visitor)": ("/", False),
        "dashboard": ("/dashboard/", True),
        "quiz index": ("/quiz/", True),
        "quiz question": (f"/quiz/runs/{run.pk}/", True),
        "challenge index": ("/challenges/", True),
        f"challenge ({challenge.slug})": (f"/challenges/{challenge.slug}/", True),
        "sandbox reference": ("/challenges/sandbox/", True),
        f"group page ({group.memberships.count()} members)": (f"/groups/{group.pk}/", True),
        "leaderboard": ("/groups/leaderboard/", True),
        "learning path": ("/learn/", True),
        f"unit page ({unit.slug})": (f"/learn/{unit.slug}/", True),
    }


def grow_rows(*, learner, group, count: int) -> None:
    """Add `count` rows of every kind the main pages list: learners in the group and on the
    boards, and the learner's own XP awards, attempts and finished quiz runs."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import LearnerTotals, XpAward
    from accounts.services import week_start
    from challenges.models import Challenge, Submission
    from classroom.models import Membership
    from quiz.models import QuizRun

    User = get_user_model()
    now = timezone.now()
    tag = secrets.token_hex(3)
    users = User.objects.bulk_create(
        User(username=f"grow-{tag}-{n}", email=f"grow-{tag}-{n}@example.invalid", password="!")
        for n in range(count)
    )
    if users[0].pk is None:  # backends that return no keys from bulk_create
        users = list(User.objects.filter(username__startswith=f"grow-{tag}-"))
    Membership.objects.bulk_create(Membership(group=group, user=user) for user in users)
    LearnerTotals.objects.bulk_create(
        LearnerTotals(user=user, xp=n % 500, week_start=week_start(now), week_xp=n % 50)
        for n, user in enumerate(users)
    )
    XpAward.objects.bulk_create(
        XpAward(user=learner, source=f"grow:{tag}:{n}", points=5, awarded_at=now)
        for n in range(count)
    )
    challenge = Challenge.objects.filter(is_active=True).order_by("topic__order", "order").first()
    Submission.objects.bulk_create(
        Submission(
            user=learner,
            challenge=challenge,
            step=0,
            source="editor",
            raw_request=b"GET / HTTP/1.1\r\n\r\n",
            results=[],
            passed=False,
        )
        for _ in range(count)
    )
    QuizRun.objects.bulk_create(
        QuizRun(user=learner, kind="mixed", question_ids=[], layout={}, finished_at=now)
        for _ in range(count)
    )


# --- Queries and time in process -----------------------------------------------


def _client(learner, logged_in: bool):
    from django.test import Client

    client = Client()
    if logged_in:
        client.force_login(learner)
    return client


def page_queries(pages: dict, learner) -> dict[str, int]:
    """Queries per page, on a warm cache, through the whole middleware stack."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, (path, logged_in) in pages.items():
        client = _client(learner, logged_in)
        client.get(path, secure=True)  # warm the content cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}, not 200")
        counts[name] = len(queries)
    return counts


def _in_process_ms(pages: dict, learner, repeat: int) -> dict[str, float]:
    times = {}
    for name, (path, logged_in) in pages.items():
        client = _client(learner, logged_in)
        client.get(path, secure=True)
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path, secure=True)
            samples.append(time.perf_counter() - started)
        times[name] = statistics.median(samples) * 1000
    return times


# --- Under gunicorn ------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(port: int) -> tuple[list[str], str]:
    """The command line, and a description of the worker settings it runs with."""
    config = ROOT / "deploy" / "gunicorn.conf.py"
    command = [sys.executable, "-m", "gunicorn"]
    if config.exists():
        return [*command, "-c", str(config), "bench.pages_wsgi:application"], (
            "deploy/gunicorn.conf.py"
        )
    workers = 2 * (os.cpu_count() or 1) + 1
    return [
        *command,
        "--worker-class=gthread",
        f"--workers={workers}",
        "--threads=32",
        "--keep-alive=5",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        "bench.pages_wsgi:application",
    ], f"gthread, {workers} workers x 32 threads (deploy/gunicorn.conf.py not found)"


def _wait_for_port(port: int, process, timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


async def _read_response(reader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length, chunked, keep = 0, False, True
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value:
            chunked = True
        elif name == b"connection" and value == b"close":
            keep = False
    if chunked:
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    elif length:
        await reader.readexactly(length)
    return status, keep


async def _connection(port, request, count, latencies, statuses, deadline) -> None:
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
        statuses[status] += 1
        if not keep:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _load(port, request, connections, per_connection, max_seconds=60.0):
    latencies: list[float] = []
    statuses: Counter = Counter()
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _connection(port, request, per_connection, latencies, statuses, started + max_seconds)
            for _ in range(connections)
        )
    )
    return len(latencies) / (time.perf_counter() - started), latencies, statuses


def _request(path: str, cookie: str | None) -> bytes:
    # X-Forwarded-Proto is what the TLS proxy in front adds; gunicorn trusts it from 127.0.0.1.
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "X-Forwarded-Proto: https"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _measure(port, path, cookie, connections, per_connection) -> dict:
    request = _request(path, cookie)
    asyncio.run(_load(port, request, 4, 10))  # warm every worker's caches
    rps, latencies, statuses = asyncio.run(_load(port, request, connections, per_connection))
    latencies.sort()
    return {
        "rps": rps,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
        "requests": len(latencies),
        "not_ok": {s: n for s, n in statuses.items() if s != 200},
    }


def run(*, quick: bool = False) -> dict:
    _setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction

    learner = get_user_model().objects.get(username=LEARNER)
    pages = viewer_pages(learner)
    group = learner.memberships.select_related("group").first().group
    connections, per_connection = (4, 15) if quick else (8, 50)
    print(
        f"Pages under gunicorn on PostgreSQL and Redis, logged in as a member of a "
        f"{group.memberships.count()}-member group among "
        f"{get_user_model().objects.count():,} learners; "
        f"{connections} keep-alive connections x {per_connection} GETs per page"
    )
    queries = page_queries(pages, learner)
    with transaction.atomic():
        grow_rows(learner=learner, group=group, count=GROWTH)
        grown = page_queries(pages, learner)
        transaction.set_rollback(True)
    in_process = _in_process_ms(pages, learner, repeat=5 if quick else 20)
    cookie = f"{settings.SESSION_COOKIE_NAME}={_client(learner, True).cookies[settings.SESSION_COOKIE_NAME].value}"

    port = _free_port()
    command, described = _gunicorn(port)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESSLOG": "off",
        "GUNICORN_LOGLEVEL": "warning",
    }
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    results = {}
    try:
        _wait_for_port(port, process)
        print(f"  server: {described}")
        # Every worker loads its templates, URL resolver and content cache before anything counts.
        for path, logged_in in [(HELLO_PATH, False), *pages.values()]:
            asyncio.run(_load(port, _request(path, cookie if logged_in else None), 10, 5))
        # The reference is the bare hello world: no session cookie, so no query at all.
        hello_before = _measure(port, HELLO_PATH, None, connections, per_connection)
        for name, (path, logged_in) in pages.items():
            results[name] = _measure(
                port, path, cookie if logged_in else None, connections, per_connection
            )
        hello_after = _measure(port, HELLO_PATH, None, connections, per_connection)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
    hello = (hello_before["rps"] + hello_after["rps"]) / 2
    print(
        f"  {'Django hello world, no session':<34} {hello:7,.0f} req/s   "
        f"(before the pages {hello_before['rps']:,.0f}, after {hello_after['rps']:,.0f})"
    )
    print(
        f"  {'page':<34} {'req/s':>7}  {'x hello':>7}  goal  {'p50 ms':>6}  {'in-proc ms':>10}"
        f"  queries (seeded / +{GROWTH:,} rows)"
    )
    for name, figures in results.items():
        ratio = figures["rps"] / hello
        refused = "".join(f", {n} answered {s}" for s, n in sorted(figures["not_ok"].items()))
        mark = "ok" if ratio >= GOAL else "BELOW"
        grew = "" if grown[name] == queries[name] else "  GROWS"
        print(
            f"  {name:<34} {figures['rps']:7,.0f}  {ratio:7.2f}  ≥{GOAL} {mark:<5} "
            f"{figures['p50_ms']:6.1f}  {in_process[name]:10.1f}  {queries[name]:>3} / {grown[name]:<3}"
            f"{grew}{refused}"
        )
        figures.update(ratio=ratio, queries=queries[name], queries_grown=grown[name])
    return {"hello_rps": hello, "pages": results}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer requests, for a smoke run")
    run(quick=parser.parse_args().quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
