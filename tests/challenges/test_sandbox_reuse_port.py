"""`manage.py sandbox --reuse-port`: two real processes on one port both answer, and a
port already taken is refused in one plain sentence that names it.

Which process holds a connection is read from Linux's own tables: each process's
socket inodes (/proc/PID/fd) against the established connections on the port
(/proc/net/tcp), so nothing in the answer has to say where it came from.
"""

import os
import re
import socket
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.deploy.servers import ROOT, production_env

pytestmark = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc tables"
)
CONNECTIONS = 32  # all to one process by chance: 2 in 2**32
LISTENING = re.compile(r"Sandbox listening on 127\.0\.0\.1:(\d+)")


@contextmanager
def sandbox(tmp_path: Path, port: int, *extra: str):
    """Run `manage.py sandbox` on 127.0.0.1:port; yield (process, the port it listens on)."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "sandbox", "--host", "127.0.0.1", "--port", str(port)]
        + list(extra),
        cwd=ROOT,
        env=production_env(tmp_path, PYTHONUNBUFFERED="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # the first line says where it listens
        found = LISTENING.search(line)
        assert found, f"{line!r}; stderr: {process.stderr.read() if process.poll() else ''}"
        yield process, int(found.group(1))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        process.stdout.close()
        process.stderr.close()


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed while we looked
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _established_on(port: int) -> set[str]:
    """Inodes of the server-side sockets of connections established to `port`."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
            inodes.add(fields[9])
    return inodes


def _open_answered(port: int, count: int) -> list[socket.socket]:
    """Open `count` keep-alive connections, each answered once (so each is accepted)."""
    clients = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port), timeout=10)
        client.sendall(b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += client.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200 OK"), answer[:200]
        clients.append(client)
    return clients


def test_two_sandbox_processes_with_reuse_port_share_one_port_and_both_answer(tmp_path):
    with ExitStack() as stack:
        first, port = stack.enter_context(sandbox(tmp_path, 0, "--reuse-port"))
        second, second_port = stack.enter_context(sandbox(tmp_path, port, "--reuse-port"))
        assert second_port == port
        clients = _open_answered(port, CONNECTIONS)
        stack.callback(lambda: [client.close() for client in clients])
        # Each was answered, so each is accepted: its server-side socket has an inode.
        established = _established_on(port)
        held = {p.pid: len(_socket_inodes(p.pid) & established) for p in (first, second)}
    assert all(count > 0 for count in held.values()), held
    assert sum(held.values()) == CONNECTIONS


@pytest.mark.parametrize("second_flags", [[], ["--reuse-port"]], ids=["plain", "reuse-port"])
def test_a_second_sandbox_without_reuse_port_on_the_first_names_the_port_it_cannot_take(
    tmp_path, second_flags
):
    with sandbox(tmp_path, 0) as (_, port):
        result = subprocess.run(
            [sys.executable, "manage.py", "sandbox", "--host", "127.0.0.1", "--port", str(port)]
            + second_flags,
            cwd=ROOT,
            env=production_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"Cannot listen on 127.0.0.1:{port}: Address already in use." in result.stderr
    assert "--reuse-port" in result.stderr
