"""Start the production servers on loopback for a test, and attack them slowly.

gunicorn gets a listening socket the test has already bound to port 0
(`--bind fd://N`), so there is no race for a free port. nginx gets a
temporary prefix, a self-signed certificate and ports the OS chose.
"""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from deploy.render import render

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRET_KEY = "test-only-" + "k" * 60


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process, on a throwaway SQLite file and no Redis."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_")) and key not in ("REDIS_URL",)
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_MANIFEST="false",
        GUNICORN_ACCESSLOG="off",
        GUNICORN_LOGLEVEL="warning",
    )
    env.update(extra)
    return env


def listening_socket() -> socket.socket:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    listener.set_inheritable(True)
    return listener


def free_port() -> int:
    """A port nobody listens on now (for nginx, which binds its own sockets)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(port: int, *, tls: bool = False, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if get(port, "/", tls=tls, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing answered 200 on 127.0.0.1:{port} in {seconds} s")
        time.sleep(0.2)


def get(port: int, path: str, *, tls: bool = False, timeout: float = 5) -> tuple[int, bytes]:
    """GET `path`; return (status, body). Raises TimeoutError if no answer in `timeout` s."""
    if tls:
        connection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=timeout, context=_trusting_context()
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextmanager
def gunicorn(tmp_path: Path, argv: list[str], **env: str):
    """Run `gunicorn <argv>` on a loopback socket; yield its port; stop it after."""
    listener = listening_socket()
    command = [sys.executable, "-m", "gunicorn", *argv, "--bind", f"fd://{listener.fileno()}"]
    with open(tmp_path / "gunicorn.log", "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=production_env(tmp_path, **env),
            pass_fds=[listener.fileno()],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    port = listener.getsockname()[1]
    listener.close()
    try:
        wait_until_served(port)
        yield port
    finally:
        _stop(process)


@contextmanager
def nginx(tmp_path: Path, app_port: int):
    """Run nginx with deploy/nginx/ in front of 127.0.0.1:app_port; yield its HTTPS port."""
    prefix = nginx_prefix(tmp_path, app_port=app_port)
    https_port = prefix.https_port
    command = [NGINX, "-e", "stderr", "-p", str(prefix.path), "-c", str(prefix.main_conf)]
    command += ["-g", prefix.global_directives]
    with open(tmp_path / "nginx.log", "wb") as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_until_served(https_port, tls=True)
        yield https_port
    finally:
        _stop(process)


class NginxPrefix:
    """A rendered copy of deploy/nginx/ in a temporary prefix, with its own certificate."""

    def __init__(self, path: Path, app_port: int):
        self.path = path
        self.https_port, self.http_port = free_port(), free_port()
        self.main_conf = path / "nginx.conf"
        certificate, key = path / "cert.pem", path / "key.pem"
        _self_signed(certificate, key)
        static_root = path / "static"
        (static_root / "css").mkdir(parents=True)
        (static_root / "css" / "site.css").write_text("body { margin: 0 }\n")
        site = render(
            (ROOT / "deploy/nginx/httpschool.conf").read_text(),
            {
                "APP_UPSTREAM": f"127.0.0.1:{app_port}",
                "HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
                "HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
                "SERVER_NAME": "localhost",
                "STATIC_ROOT": str(static_root),
                "TLS_CERTIFICATE": str(certificate),
                "TLS_CERTIFICATE_KEY": str(key),
            },
        )
        (path / "httpschool.conf").write_text(site)
        main = render(
            (ROOT / "deploy/nginx/nginx.conf").read_text(),
            {
                "PREFIX": str(path),
                "MIME_TYPES": "/etc/nginx/mime.types",
                "SITE_CONF": str(path / "httpschool.conf"),
            },
        )
        self.main_conf.write_text(main)

    @property
    def global_directives(self) -> str:
        # As root, nginx would hand its workers to "nobody", who cannot read a
        # pytest temporary directory; unprivileged, the directive is refused.
        return "daemon off; user root;" if os.geteuid() == 0 else "daemon off;"


def nginx_prefix(tmp_path: Path, *, app_port: int) -> NginxPrefix:
    path = tmp_path / "nginx"
    path.mkdir()
    return NginxPrefix(path, app_port)


def _self_signed(certificate: Path, key: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )


def _trusting_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


class Slowloris:
    """`count` connections that each start a request and then send one byte of
    header every `interval` seconds, never finishing, until stopped."""

    DRIBBLE = b"X-Slow: " + b"a" * 4096

    def __init__(self, port: int, count: int, *, tls: bool = False, interval: float = 0.5):
        self.interval = interval
        self.sockets = []
        for _ in range(count):
            raw = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection = (
                _trusting_context().wrap_socket(raw, server_hostname="localhost") if tls else raw
            )
            connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            self.sockets.append(connection)
        self.closed_by_server = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._dribble, daemon=True)
        self._thread.start()

    def _dribble(self) -> None:
        position = 0
        while not self._stop.wait(self.interval):
            byte = self.DRIBBLE[position % len(self.DRIBBLE) : position % len(self.DRIBBLE) + 1]
            position += 1
            for connection in list(self.sockets):
                try:
                    connection.sendall(byte)
                except OSError:
                    self.sockets.remove(connection)
                    self.closed_by_server += 1

    def open_count(self) -> int:
        return len(self.sockets)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in self.sockets:
            connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()
