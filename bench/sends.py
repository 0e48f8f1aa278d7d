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
import http.client
import io
import json
import os
import re
import secrets
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from bench import sends_load as load
from bench.databases import database_ensure
from bench.pages import _free_port, _gunicorn, _wait_for_port
from bench.sends_queries import CHALLENGE, GROWTH, form_fields, query_counts

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "SENDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hs_sends_bench"
)
REDIS_URL = os.environ.get("SENDS_REDIS_URL", "redis://127.0.0.1:6379/13")
CACHE_PREFIX = "bench-sends"
LEARNERS = 20
PHASES = ("burst", "sustained", "saturation")
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
    database_ensure(DATABASE_URL)
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


# --- Over HTTP: log in, fetch the page, send -------------------------------------------


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
    form = urlencode(form_fields(token)).encode()
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

    plan = {
        "rounds": 5 if quick else 10,
        "sustained_s": 12.0 if quick else 30.0,
        "saturation_s": 5.0 if quick else 15.0,
        "period": 60.0 / SUBMISSIONS_PER_MINUTE,
        "per_learner": SUBMISSIONS_PER_MINUTE - 1,  # the solve beforehand took one place
    }
    pool = -(-(600 if quick else 2000) // plan["per_learner"])
    learners = _learners(2 * LEARNERS + pool)
    print(
        f"Editor sends (POST /challenges/{CHALLENGE}/send/, htmx) under gunicorn on "
        f"PostgreSQL and Redis; {LEARNERS} learners at once; the rate limit of "
        f"{SUBMISSIONS_PER_MINUTE} a minute a learner stays in the path (each phase has learners "
        "of its own, never raised)"
    )
    counts = query_counts()
    phases, cpu, elapsed = _serve(learners, plan)
    return _report(phases, cpu, elapsed, counts, plan)


def _serve(learners: list, plan: dict):
    """Start gunicorn, log everyone in, run the three loads; stop gunicorn whatever happens."""
    port = _free_port()
    command, described = _gunicorn(port)
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESSLOG": "off"}
    env["GUNICORN_LOGLEVEL"] = "warning"
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    phases: dict[str, tuple[list, Counter]] = {name: ([], Counter()) for name in PHASES}
    try:
        _wait_for_port(port, process)
        print(f"  server: {described}; logging {len(learners)} learners in")
        requests = [_log_in(learner, port) for learner in learners]
        asyncio.run(_solve_all(port, requests))
        _check_solved(learners)
        senders = [load.Sender(port, r) for r in requests[:LEARNERS]]
        latencies, statuses = phases["burst"]
        latencies += asyncio.run(load.burst(senders, plan["rounds"], statuses))
        senders = [load.Sender(port, r) for r in requests[LEARNERS : 2 * LEARNERS]]
        latencies, statuses = phases["sustained"]
        latencies += asyncio.run(
            load.sustained(senders, plan["period"], plan["sustained_s"], statuses)
        )
        rest = requests[2 * LEARNERS :]
        clients = [[load.Sender(port, r) for r in rest[n::LEARNERS]] for n in range(LEARNERS)]
        latencies, statuses = phases["saturation"]
        with load.CpuMeter(process.pid) as cpu:
            found, elapsed = asyncio.run(
                load.saturation(clients, plan["per_learner"], plan["saturation_s"], statuses)
            )
        latencies += found
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
    return phases, cpu, elapsed


async def _solve_all(port: int, requests: list[bytes]) -> None:
    """One send per learner, LEARNERS at a time: the solve, so every send measured is steady."""
    for chunk in range(0, len(requests), LEARNERS):
        senders = [load.Sender(port, r) for r in requests[chunk : chunk + LEARNERS]]
        await asyncio.gather(*(s.send() for s in senders))
        for sender in senders:
            sender.close()


def _check_solved(learners: list) -> None:
    """Every learner's send over HTTP passed: each has solved the challenge (else the
    bench would time refusals or failures, not sends)."""
    from challenges.models import ChallengeSolve

    solved = ChallengeSolve.objects.filter(user__in=learners, challenge__slug=CHALLENGE).count()
    if solved != len(learners):
        raise RuntimeError(f"only {solved} of {len(learners)} learners solved {CHALLENGE}")


def _report(phases, cpu, elapsed, counts, plan) -> dict:
    figures = {name: _percentiles(latencies) for name, (latencies, _) in phases.items()}
    titles = {
        "burst": f"burst: all {LEARNERS} at the same instant, {plan['rounds']} rounds",
        "sustained": f"sustained: each every {plan['period']:.0f} s, staggered, "
        f"{plan['sustained_s']:.0f} s",
        "saturation": f"saturation: {LEARNERS} clients back to back, {elapsed:.0f} s",
    }
    for name in PHASES:
        print(_line(titles[name], figures[name], phases[name][1]))
    sends = figures["saturation"]["n"]
    rate, server_ms, database_ms = (
        sends / elapsed,
        cpu.server / sends * 1000,
        cpu.database / sends * 1000,
    )
    print(
        f"  capacity: {rate:,.0f} sends/s; CPU per send {server_ms:.1f} ms in gunicorn"
        f" + {database_ms:.1f} ms in PostgreSQL (2 cores: at most "
        f"{2000 / (server_ms + database_ms):,.0f} sends/s)"
    )
    floor = (LEARNERS - 1) * (server_ms + database_ms) / 2
    print(
        f"  burst floor: the {LEARNERS - 1}th of {LEARNERS} simultaneous sends waits for "
        f"{LEARNERS - 1} x {server_ms + database_ms:.1f} ms of CPU on 2 cores = {floor:.0f} ms"
        f" (p95 < {GOAL_MS:.0f} ms needs under {2 * GOAL_MS / (LEARNERS - 1):.1f} ms a send)"
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
