"""deploy/gunicorn.conf.py on PostgreSQL: several worker processes, one database.

Each worker opens its own connections after the fork (the app is not preloaded),
so many workers reading and writing at once is PostgreSQL's business, not theirs.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.db import connection

from tests.deploy.servers import (
    ROOT,
    _stop,
    get,
    listening_socket,
    production_env,
    wait_until_served,
)
from tests.factories import ChallengeFactory

VISITS = 40


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = stat.read_text().rsplit(")", 1)[1].split()[1]
        except OSError:  # ended while we looked
            continue
        if parent == str(pid):
            found.append(int(stat.parent.name))
    return found


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_default_two_or_more_workers_serve_the_site_from_postgresql(postgres_only, tmp_path):
    ChallengeFactory(title="Read from PostgreSQL by every worker")
    listener = listening_socket()
    env = production_env(tmp_path, DATABASE_URL=_database_url())
    env.pop("GUNICORN_WORKERS", None)  # the default: one per core, at least two
    with open(tmp_path / "gunicorn.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"]
            + ["--bind", f"fd://{listener.fileno()}"],
            cwd=ROOT,
            env=env,
            pass_fds=[listener.fileno()],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    port = listener.getsockname()[1]
    listener.close()
    try:
        wait_until_served(port)
        workers = _children(process.pid)
        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(lambda _: get(port, "/challenges/"), range(VISITS)))
    finally:
        _stop(process)
    assert len(workers) == max(2, os.cpu_count() or 1)
    assert [status for status, _ in answers] == [200] * VISITS
    assert all(b"Read from PostgreSQL by every worker" in body for _, body in answers)
