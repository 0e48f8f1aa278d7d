"""From one process to two: the sandbox and the site, and the engines behind them.

`python -m bench.scaling [--quick]` runs in its own process, on PostgreSQL
(SCALING_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/hs_scaling_bench)
and Redis (SCALING_REDIS_URL, default redis://127.0.0.1:6379/12), with the
production settings of bench/pages.py (that module is pointed at this database
before it is imported, so its setup, gunicorn command and page helpers serve here).

Each case runs once with one server process and once with two, in the same run:
  - the TCP sandbox without a key: `manage.py sandbox`, then two
    `manage.py sandbox --reuse-port` processes on one port (SO_REUSEPORT);
  - the sandbox with learner keys: 50 learners created for each phase (fresh
    keys, so each key's rate window starts empty), one keep-alive connection
    each, every key kept under challenges.tcp.TCP_REQUESTS_PER_MINUTE within
    the phase; any 429 is counted and printed;
  - the site under gunicorn (deploy/gunicorn.conf.py) with GUNICORN_WORKERS=1,
    then 2: the Django hello world and the learner's dashboard.

The load generator is bench/tcp.py's (one asyncio process): it needs a core of
its own, and this machine may have only two, so the figure for two processes
is the machine's, not two free cores'. Beside each rate the bench prints how
much CPU the servers and the generator used, and the requests per server
CPU-second: that is the per-core figure docs/scaling.md builds on.

For the keyed phase it also prints PostgreSQL transactions and rows written
per request (pg_stat_database of this database, read after the servers have
exited, so every backend has flushed its counters) and Redis commands per
request (INFO of the whole server: other users of it add to that count). The
engines' own ceilings close the run: pgbench (simple updates, on a database of
its own, SCALING_PGBENCH_DB, default hs_scaling_pgbench) and redis-benchmark
(INCR and GET on the bench's Redis db).
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack

# This process is the scaling bench's alone: its database wins over any PAGES_* setting.
os.environ["PAGES_DATABASE_URL"] = os.environ.get(
    "SCALING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hs_scaling_bench"
)
os.environ["PAGES_REDIS_URL"] = os.environ.get("SCALING_REDIS_URL", "redis://127.0.0.1:6379/12")

from bench import engines, pages, procfs  # noqa: E402  (pages reads PAGES_* when imported)
from bench.tcp import _client, _free_port, _load, _server  # noqa: E402

PY = sys.executable
LEARNERS = 50
PLAIN = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
DASHBOARD = "/dashboard/"


# --- One measurement ---------------------------------------------------------------


async def _load_each(port: int, requests: list[bytes], per_connection: int, max_seconds=60.0):
    """bench/tcp.py's load, with a request of its own for each connection (its learner's key)."""
    latencies: list[float] = []
    errors: Counter = Counter()
    started = time.perf_counter()
    deadline = started + max_seconds
    await asyncio.gather(
        *(
            _client(port, request, per_connection, latencies, errors, deadline)
            for request in requests
        )
    )
    return len(latencies) / (time.perf_counter() - started), latencies, errors


def _timed(servers: list, run) -> dict:
    """Run the load `run()`; return its figures with the CPU the servers, the database's
    backends and this process (the generator) used meanwhile."""
    before = procfs.cpu_now(servers, pages.DATABASE_URL)
    generator_cpu, started = time.process_time(), time.perf_counter()
    rps, latencies, errors = run()
    wall = time.perf_counter() - started
    generator_cpu = time.process_time() - generator_cpu
    after = procfs.cpu_now(servers, pages.DATABASE_URL)
    server_cpu = after["servers"] - before["servers"]
    latencies.sort()
    return {
        "rps": rps,
        "requests": len(latencies),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
        "errors": dict(errors),
        "server_cores": server_cpu / wall,
        "database_cores": (after["database"] - before["database"]) / wall,
        "generator_cores": generator_cpu / wall,
        "per_server_cpu_second": len(latencies) / server_cpu if server_cpu else float("nan"),
    }


def _row(label: str, figures: dict) -> None:
    refused = "".join(f", {n} answered {s}" for s, n in sorted(figures["errors"].items()))
    print(
        f"    {label:<12} {figures['rps']:8,.0f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
        f"p99 {figures['p99_ms']:6.1f} ms  servers {figures['server_cores']:.2f} cores, "
        f"PostgreSQL {figures['database_cores']:.2f}, generator {figures['generator_cores']:.2f}  "
        f"{figures['per_server_cpu_second']:7,.0f} req per server CPU-s  "
        f"({figures['requests']:,} requests{refused})"
    )


def _speed_up(name: str, one: dict, two: dict) -> float:
    factor = two["rps"] / one["rps"]
    print(f"    speed-up 1 -> 2 processes: x{factor:.2f}  ({name})")
    return factor


# --- The sandbox -------------------------------------------------------------------


def _sandboxes(stack: ExitStack, count: int) -> tuple[int, list]:
    """Start `count` sandbox processes on one port (with --reuse-port when more than one)."""
    port = _free_port()
    command = [PY, "manage.py", "sandbox", "--port", str(port)]
    command += ["--max-connections-per-ip", "2000"] + (["--reuse-port"] if count > 1 else [])
    processes = []
    for _ in range(count):
        process = stack.enter_context(_server(command, port))
        procfs.wait_listening(process, port)
        processes.append(process)
    return port, processes


def _plain_phase(count: int, connections: int, per_connection: int) -> dict:
    with ExitStack() as stack:
        port, servers = _sandboxes(stack, count)
        asyncio.run(_load(port, PLAIN, connections, 10, 10))  # warm every process
        return _timed(
            servers, lambda: asyncio.run(_load(port, PLAIN, connections, per_connection, 60))
        )


def _fresh_learners(tag: str) -> list[str]:
    """LEARNERS new learners (the last run's are deleted with all they recorded); their keys."""
    from django.db import connection

    from accounts.models import User

    User.objects.filter(username__startswith="scaling-learner-").delete()
    users = [
        User.objects.create_user(
            f"scaling-learner-{tag}-{n:02}", f"scaling-{tag}-{n}@example.org", password=None
        )
        for n in range(LEARNERS)
    ]
    keys = [user.sandbox_key for user in users]
    # Its session's counters reach pg_stat_database only when it is idle a while, or ends:
    # end it, so the deletion above is not counted against the phase that follows.
    connection.close()
    return keys


def _database_counters() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted "
            "FROM pg_stat_database WHERE datname = current_database()"
        )
        commits, rows = cursor.fetchone()
    return {"transactions": commits, "rows written": rows}


def _redis_commands() -> int:
    import redis

    client = redis.Redis.from_url(pages.REDIS_URL)
    try:
        return int(client.info("stats")["total_commands_processed"])
    finally:
        client.close()


def _keyed_phase(count: int, per_connection: int, warm: int) -> dict:
    from challenges.tcp import TCP_REQUESTS_PER_MINUTE

    assert warm + per_connection <= TCP_REQUESTS_PER_MINUTE, "a key would pass its rate limit"
    keys = _fresh_learners(f"{count}p")
    requests = [
        f"GET /books/1 HTTP/1.1\r\nHost: {key}.sandbox.localhost\r\n\r\n".encode() for key in keys
    ]
    database, commands = _database_counters(), _redis_commands()
    with ExitStack() as stack:
        port, servers = _sandboxes(stack, count)
        # The first request of a key awards a badge and creates the learner's state.
        asyncio.run(_load_each(port, requests, warm))
        figures = _timed(servers, lambda: asyncio.run(_load_each(port, requests, per_connection)))
    time.sleep(0.5)  # the servers' database sessions flush their counters as they end
    answered = len(keys) * warm + figures["requests"]
    after = _database_counters()
    figures["per_request"] = {name: (after[name] - database[name]) / answered for name in after}
    figures["per_request"]["Redis commands"] = (_redis_commands() - commands) / answered
    return figures


def sandbox_cases(quick: bool) -> dict:
    connections, per_connection = (50, 100) if quick else (100, 200)
    keyed_each, warm = (20, 3) if quick else (100, 5)
    results = {}
    print(
        f"  sandbox GET /books/1 without a key, {connections} keep-alive connections "
        f"x {per_connection}"
    )
    one = results["plain_1"] = _plain_phase(1, connections, per_connection)
    _row("1 process", one)
    two = results["plain_2"] = _plain_phase(2, connections, per_connection)
    _row("2 processes", two)
    results["plain_speed_up"] = _speed_up("no key", one, two)
    print(
        f"  sandbox GET /books/1 with learner keys on PostgreSQL + Redis: {LEARNERS} learners, "
        f"one connection each, {warm} warm-up + {keyed_each} requests per key"
    )
    for count in (1, 2):
        figures = results[f"keyed_{count}"] = _keyed_phase(count, keyed_each, warm)
        _row(f"{count} process" + ("es" if count > 1 else ""), figures)
        costs = ", ".join(f"{v:.1f} {k}" for k, v in figures["per_request"].items())
        print(f"    {'':<12} per request: {costs}")
    results["keyed_speed_up"] = _speed_up("learner keys", results["keyed_1"], results["keyed_2"])
    return results


# --- The site ------------------------------------------------------------------------


# (name, path, logged in, (connections, requests each) for --quick, and for a full run);
# fewer for the page, so each case takes seconds at the rates measured so far.
SITE_CASES = (
    ("Django hello world, no session", pages.HELLO_PATH, False, (16, 50), (16, 200)),
    (f"dashboard ({pages.LEARNER})", DASHBOARD, True, (8, 10), (16, 25)),
)


def _site_phase(workers: int, cookie: str, quick: bool) -> dict:
    port = _free_port()
    command, _ = pages._gunicorn(port)
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_ACCESSLOG": "off",
        "GUNICORN_LOGLEVEL": "warning",
        # A worker restarted mid-run would count its start-up against one side only.
        "GUNICORN_MAX_REQUESTS": "1000000",
    }
    process = subprocess.Popen(command, cwd=pages.ROOT, env=env, stdout=subprocess.DEVNULL)
    figures = {}
    try:
        pages._wait_for_port(port, process)
        for name, path, logged_in, quick_load, full_load in SITE_CASES:
            request = pages._request(path, cookie if logged_in else None)
            asyncio.run(pages._load(port, request, 10, 5))  # every worker loads its code
            connections, each = quick_load if quick else full_load
            figures[name] = _timed(
                [process],
                lambda request=request, connections=connections, each=each: _not_200(
                    asyncio.run(pages._load(port, request, connections, each))
                ),
            )
            figures[name]["load"] = f"{connections} connections x {each}"
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
    return figures


def _not_200(measured):
    """pages._load counts every status; keep only what is not 200, as bench/tcp.py does."""
    rps, latencies, statuses = measured
    return rps, latencies, Counter({s: n for s, n in statuses.items() if s != 200})


def site_cases(quick: bool) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    learner = get_user_model().objects.get(username=pages.LEARNER)
    session = pages._client(learner, True).cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    print("  the site under gunicorn: deploy/gunicorn.conf.py with GUNICORN_WORKERS=1, then 2")
    phases = {workers: _site_phase(workers, cookie, quick) for workers in (1, 2)}
    results = {}
    for name, *_ in SITE_CASES:
        print(f"   {name}, keep-alive GETs, {phases[1][name]['load']}")
        _row("1 worker", phases[1][name])
        _row("2 workers", phases[2][name])
        results[name] = {1: phases[1][name], 2: phases[2][name]}
        results[name]["speed_up"] = _speed_up(name, phases[1][name], phases[2][name])
    return results


# docs/scaling.md's class: requests a learner sends a minute, assumed and at the limit.
CLASS_RATE = {"keyed": (6, 120), "page": (3, None)}
HEADROOM = 0.5  # plan each core at half its measured rate, for the bursts of a class


def _learners_per_core(results: dict) -> None:
    """The learners one core holds, from the per server CPU-second figures (mean of 1 and 2)."""
    sandbox, site = results["sandbox"], results["site"]
    rows = [
        ("sandbox, no key", sandbox["plain_1"], sandbox["plain_2"], CLASS_RATE["keyed"]),
        ("sandbox, learner keys", sandbox["keyed_1"], sandbox["keyed_2"], CLASS_RATE["keyed"]),
    ]
    rows += [
        (name, f[1], f[2], CLASS_RATE["page"]) for name, f in site.items() if "hello" not in name
    ]
    print(
        f"  learners one core holds at {HEADROOM:.0%} load, at {CLASS_RATE['keyed'][0]} TCP "
        f"requests or {CLASS_RATE['page'][0]} page views a minute each (docs/scaling.md)"
    )
    for name, one, two, (per_minute, ceiling) in rows:
        per_core = (one["per_server_cpu_second"] + two["per_server_cpu_second"]) / 2
        at_ceiling = (
            f", {per_core * HEADROOM * 60 / ceiling:,.0f} at {ceiling} a minute" if ceiling else ""
        )
        print(
            f"    {name:<34} {per_core:7,.0f} req per core-second: "
            f"{per_core * HEADROOM * 60 / per_minute:8,.0f} learners{at_ceiling}"
        )


def run(*, quick: bool = False) -> dict:
    pages._setup()
    print(
        f"Scaling from 1 to 2 processes on {os.cpu_count()} cores; the load generator is one "
        "more process on the same cores"
    )
    results = {"sandbox": sandbox_cases(quick), "site": site_cases(quick)}
    _learners_per_core(results)
    print("  the engines' own ceilings, with their own tools")
    results["engines"] = engines.ceilings(pages.DATABASE_URL, pages.REDIS_URL, quick=quick)
    print()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer requests, for a smoke run")
    run(quick=parser.parse_args().quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
