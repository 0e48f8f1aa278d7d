"""What Linux says of the benchmark's processes: CPU used, and who listens on a port.

CPU is user + system time from /proc/PID/stat, counted for a server and its
children (gunicorn's workers), and for the PostgreSQL backends of one database
(found by their process title). A process that ends between two readings is
missed, so read both while the servers still run.
"""

import os
import time
from pathlib import Path
from urllib.parse import urlsplit


def _cpu_table() -> dict[int, tuple[int, float]]:
    """Every process: pid -> (its parent's pid, user + system CPU seconds so far)."""
    tick, table = os.sysconf("SC_CLK_TCK"), {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we looked
            continue
        table[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return table


def database_backends(database_url: str) -> set[int]:
    """The PostgreSQL backends serving this database (their process title names it)."""
    name = f" {urlsplit(database_url).path.strip('/')} "
    found = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            title = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and name in title:
            found.add(int(cmdline.parent.name))
    return found


def cpu_now(servers: list, database_url: str) -> dict[str, float]:
    """CPU seconds so far of the servers (with their children: gunicorn's workers) and
    of the database's backends. A backend that ends within a measurement is missed."""
    table, pids = _cpu_table(), {process.pid for process in servers}
    backends = database_backends(database_url)
    return {
        "servers": sum(cpu for pid, (parent, cpu) in table.items() if {pid, parent} & pids),
        "database": sum(cpu for pid, (_, cpu) in table.items() if pid in backends),
    }


def _listens(pid: int, port: int) -> bool:
    """Whether process `pid` holds a listening socket on `port` (so it takes connections)."""
    listening = {
        fields[9]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if (fields := line.split())[3] == "0A" and int(fields[1].split(":")[1], 16) == port
    }
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in listening:
            return True
    return False


def wait_listening(process, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not _listens(process.pid, port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"process {process.pid} did not listen on port {port}")
        time.sleep(0.1)
