"""The ceilings of the engines behind the site, measured with their own tools.

pgbench runs simple updates (`-N`: three writes and one read per transaction,
16 clients) on a database of its own (SCALING_PGBENCH_DB, default
hs_scaling_pgbench, created and initialised at scale 10 on first use, next to
the bench database); redis-benchmark runs INCR (what a rate-limit counter
costs) and GET (a cache read) against the bench's Redis db, without
pipelining. bench/scaling.py prints them beside what one keyed request costs
in transactions and Redis commands, which says where the first bottleneck is.
"""

import os
import re
import subprocess
from urllib.parse import urlsplit


def _psql_address(database_url: str) -> list[str]:
    address = urlsplit(database_url)
    return [
        *("-h", address.hostname or "127.0.0.1", "-p", str(address.port or 5432)),
        *("-U", address.username or "postgres"),
    ]


def postgresql_tps(database_url: str, *, seconds: int) -> tuple[float, list[str]]:
    """Transactions per second of pgbench's simple-update script; and its command line."""
    database = os.environ.get("SCALING_PGBENCH_DB", "hs_scaling_pgbench")
    connect = _psql_address(database_url)
    exists = subprocess.run(
        ["psql", *connect, "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", *connect, database], check=True)
        initialise = ["pgbench", *connect, "-i", "-q", "-s", "10", database]
        subprocess.run(initialise, check=True, capture_output=True)
    command = ["pgbench", *connect, "-N", "-c", "16", "-j", "2", "-T", str(seconds), database]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"tps = ([\d.]+)", output).group(1)), command


def redis_rates(redis_url: str, *, requests: int) -> tuple[dict[str, float], list[str]]:
    """INCR and GET per second from redis-benchmark, 50 clients; and its command line."""
    address = urlsplit(redis_url)
    command = ["redis-benchmark", "-h", address.hostname or "127.0.0.1"]
    command += ["-p", str(address.port or 6379), "--dbnum", address.path.strip("/") or "0"]
    command += ["-q", "-n", str(requests), "-c", "50", "-t", "incr,get"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rates = {
        name: float(rate) for name, rate in re.findall(r"(\w+): ([\d.]+) requests per", output)
    }
    return rates, command


def ceilings(database_url: str, redis_url: str, *, quick: bool = False) -> dict:
    tps, pgbench = postgresql_tps(database_url, seconds=5 if quick else 15)
    print(f"  PostgreSQL {tps:9,.0f} transactions/s  ({' '.join(pgbench)})")
    rates, benchmark = redis_rates(redis_url, requests=50_000 if quick else 200_000)
    print(
        f"  Redis      {rates['INCR']:9,.0f} INCR/s, {rates['GET']:,.0f} GET/s  "
        f"({' '.join(benchmark)})"
    )
    return {"pgbench_tps": tps, "redis_incr": rates["INCR"], "redis_get": rates["GET"]}
