"""deploy/nginx/sandbox-balancer.conf: nginx accepts it, spreads learners over every
sandbox behind it, and keeps the per-address bound the sandboxes give up behind it."""

import os
import socket
import subprocess
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from challenges.sandbox.server import Reply, ServerConfig
from deploy.render import render
from tests.deploy.servers import NGINX, ROOT, free_port
from tests.sandbox.server_harness import serving

STREAM_MODULE = Path("/usr/lib/nginx/modules/ngx_stream_module.so")
pytestmark = pytest.mark.skipif(
    not (Path(NGINX).exists() and STREAM_MODULE.exists()),
    reason="nginx or its stream module is not installed",
)
PER_ADDRESS = 100  # limit_conn in the template


def _main_conf(prefix: Path, machines: tuple[str, str], listen: str) -> Path:
    balancer = render(
        (ROOT / "deploy/nginx/sandbox-balancer.conf").read_text(),
        {
            "SANDBOX_MACHINE_1": machines[0],
            "SANDBOX_MACHINE_2": machines[1],
            "SANDBOX_LISTEN": listen,
        },
    )
    (prefix / "sandbox-balancer.conf").write_text(balancer)
    main = prefix / "nginx.conf"
    main.write_text(
        f"load_module {STREAM_MODULE};\n"
        f"pid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log warn;\n"
        "worker_processes 1;\n"
        "events { worker_connections 1024; }\n"
        f"include {prefix}/sandbox-balancer.conf;\n"
    )
    return main


def _nginx(prefix: Path, main: Path, *extra: str) -> list[str]:
    # As root, nginx would hand its workers to "nobody", who cannot read a pytest directory.
    directives = "daemon off; user root;" if os.geteuid() == 0 else "daemon off;"
    return [NGINX, *extra, "-e", "stderr", "-p", str(prefix), "-c", str(main), "-g", directives]


@contextmanager
def _balancer(tmp_path: Path, machines: tuple[str, str]):
    """Run nginx with the balancer in front of `machines`; yield the port it listens on."""
    port = free_port()
    main = _main_conf(tmp_path, machines, f"127.0.0.1:{port}")
    with open(tmp_path / "nginx.log", "wb") as log:
        process = subprocess.Popen(_nginx(tmp_path, main), stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "nginx.log").read_text()
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(15)


def _named(name: str):
    async def handler(raw: bytes, connection) -> Reply:
        body = name.encode()
        return Reply(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))

    return handler


def _ask(client: socket.socket) -> str | None:
    """Send one GET; return the body of the answer, or None if the connection was closed."""
    try:
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith((b"one", b"two")):
            piece = client.recv(65536)
            if not piece:
                return None
            answer += piece
    except (ConnectionResetError, BrokenPipeError):
        return None
    return answer.rsplit(b"\r\n\r\n", 1)[1].decode()


def test_nginx_accepts_the_sandbox_balancer(tmp_path):
    main = _main_conf(tmp_path, ("10.0.0.11:8080", "10.0.0.12:8080"), "127.0.0.1:18080")
    result = subprocess.run(
        _nginx(tmp_path, main, "-t"), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_balancer_spreads_learners_over_both_sandboxes_and_bounds_one_address(tmp_path):
    # The sandboxes allow far more per address than the balancer: it is the one that bounds.
    roomy = ServerConfig(max_connections_per_ip=1000)
    with ExitStack() as stack:
        one = stack.enter_context(serving(_named("one"), roomy))
        two = stack.enter_context(serving(_named("two"), roomy))
        port = stack.enter_context(
            _balancer(tmp_path, (f"127.0.0.1:{one.port}", f"127.0.0.1:{two.port}"))
        )
        clients = []
        stack.callback(lambda: [client.close() for client in clients])
        answers = []
        for _ in range(PER_ADDRESS):
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            answers.append(_ask(clients[-1]))
        one_too_many = socket.create_connection(("127.0.0.1", port), timeout=10)
        clients.append(one_too_many)
        refused = _ask(one_too_many)
    assert set(answers) == {"one", "two"}
    assert abs(answers.count("one") - answers.count("two")) <= 2  # least_conn: turn about
    assert refused is None
