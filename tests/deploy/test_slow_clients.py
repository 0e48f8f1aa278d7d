"""Slowloris against the production command: a normal visitor is still served.

Each test starts real servers on loopback ports the OS picks and stops them
itself; the slow clients dribble one header byte every half second and never
finish their request.
"""

import time
from pathlib import Path

import pytest

from tests.deploy.servers import NGINX, Slowloris, get, gunicorn, nginx

PRODUCTION = ["-c", "deploy/gunicorn.conf.py", "config.wsgi"]
# What the README used to say: sync workers, with nothing in front of them.
OLD_PRODUCTION = ["--workers", "2", "--no-control-socket", "config.wsgi"]
SLOW_CLIENTS = 20


def _normal_visit(port: int, *, tls: bool = False) -> int:
    """The status of a normal GET /, or 0 when nothing answered within 5 s."""
    try:
        return get(port, "/", tls=tls, timeout=5)[0]
    except TimeoutError:
        return 0


def test_the_old_sync_command_is_stalled_by_slow_clients(tmp_path):
    """The attack is real: without threads, 20 slow clients take every worker."""
    with gunicorn(tmp_path, OLD_PRODUCTION) as port, Slowloris(port, SLOW_CLIENTS):
        time.sleep(1.5)
        assert _normal_visit(port) == 0


def test_production_gunicorn_serves_a_visitor_while_20_clients_dribble_headers(tmp_path):
    with (
        gunicorn(tmp_path, PRODUCTION) as port,
        Slowloris(port, SLOW_CLIENTS) as attack,
    ):
        time.sleep(1.5)
        assert _normal_visit(port) == 200
        assert _normal_visit(port) == 200
        assert attack.open_count() == SLOW_CLIENTS, "the slow clients were not attacking"


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
def test_nginx_keeps_slow_clients_away_from_a_tiny_gunicorn(tmp_path):
    """Behind nginx, 20 slow clients cannot reach even 1 worker with 2 threads,
    and nginx drops each of them when its 10 s header deadline passes."""
    with (
        gunicorn(tmp_path, PRODUCTION, GUNICORN_WORKERS="1", GUNICORN_THREADS="2") as app_port,
        nginx(tmp_path, app_port) as port,
        Slowloris(port, SLOW_CLIENTS, tls=True) as attack,
    ):
        time.sleep(1.5)
        assert _normal_visit(port, tls=True) == 200
        assert get(port, "/static/css/site.css", tls=True)[0] == 200
        deadline = time.monotonic() + 20
        while attack.open_count() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert attack.closed_by_server == SLOW_CLIENTS
        assert _normal_visit(port, tls=True) == 200
