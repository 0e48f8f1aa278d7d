"""Leaderboard pages at scale on PostgreSQL: time per page, and query counts that must not grow.

Runs in its own process against its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/httpschool_bench), which it creates and fills
with `seed_demo`. The big data set (100,000 learners, 1,000,000 ledger rows, a
group of 5,000) is kept between runs and reused when present.
"""

import io
import os
import statistics
import sys
import time

BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/httpschool_bench"
)


def _recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _setup(fresh: bool, url: str = BENCH_URL):
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if fresh:
        _recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _get(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries)


def _pages(group):
    return {
        "global board, all time": "/groups/leaderboard/",
        "global board, this week": "/groups/leaderboard/?period=week",
        f"group page with board ({group.memberships.count():,} members)": f"/groups/{group.pk}/",
    }


def _client_for(group):
    from django.test import Client

    client = Client()
    client.force_login(group.owner)
    return client


def query_counts() -> None:
    """Query counts of each page with 10 and with 10,000 learners (same pages, same viewer).

    Uses a database of its own, so the big timing data set is kept.
    """
    _setup(fresh=True, url=BENCH_URL + "_counts")
    from django.core.management import call_command

    from classroom.models import StudyGroup

    counts = {}
    for size, prefix in ((10, "q10"), (10_000, "q10k")):
        call_command(
            "seed_demo",
            users=size,
            events=size * 3,
            group_size=size,
            prefix=prefix,
            stdout=io.StringIO(),
        )
        group = StudyGroup.objects.get(name__startswith=prefix.title())
        client = _client_for(group)
        for label, url in _pages(group).items():
            counts.setdefault(label.split(" (")[0], []).append(_get(client, url)[1])
    print("Leaderboard queries per page (10 learners -> 10,000 learners)")
    for label, (small, large) in counts.items():
        print(
            f"  {label:<36} {small:3d} -> {large:3d} queries {'(same)' if small == large else '(GREW)'}"
        )
    print()


def timings(repeat: int) -> None:
    try:
        _setup(fresh=False)
        from accounts.models import XpAward

        reuse = XpAward.objects.filter(source__startswith="demo:").count() >= 1_000_000
    except Exception:  # no bench database yet, or an old schema: build it afresh
        reuse = False
    from accounts.models import XpAward

    if not reuse:
        print("  (seeding 100,000 learners and 1,000,000 ledger rows; a few minutes, once)")
        started = time.perf_counter()
        _recreate_and_migrate()  # Django is set up by the attempt above, even when it failed to migrate
        from django.core.management import call_command

        call_command(
            "seed_demo",
            users=100_000,
            events=1_000_000,
            group_size=5_000,
            prefix="bench",
            stdout=io.StringIO(),
        )
        print(f"  seeded in {time.perf_counter() - started:.0f} s")
    from django.db import connection

    from classroom.models import StudyGroup

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    group = StudyGroup.objects.get(name__startswith="Bench")
    client = _client_for(group)
    print(
        f"Leaderboard pages on PostgreSQL: {XpAward.objects.count():,} ledger rows, "
        f"{group.memberships.count():,}-member group ({repeat} requests each, Django test client, no network)"
    )
    for label, url in _pages(group).items():
        _get(client, url)  # warm
        samples = sorted(_get(client, url)[0] * 1000 for _ in range(repeat))
        p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
        print(f"  {label:<48} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms")
    print()


def _recreate_and_migrate():
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    _recreate_database(BENCH_URL)
    call_command("migrate", verbosity=0)


if __name__ == "__main__":
    if sys.argv[1:] == ["counts"]:
        query_counts()
    else:
        timings(repeat=int(sys.argv[2]) if len(sys.argv) > 2 else 30)
