"""Run the benchmarks and print figures: `python -m bench [--only NAME] [--quick]`."""

import argparse
import os
import subprocess
import sys

SECTIONS = (
    "inprocess",
    "tcp",
    "memory",
    "robustness",
    "leaderboard",
    "pages",
    "sends",
    "scaling",
)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections")
    parser.add_argument("--quick", action="store_true", help="fewer requests, for a smoke run")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    chosen = args.only or list(SECTIONS)
    print(
        f"Benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}; figures only, no pass/fail.\n"
    )
    if "inprocess" in chosen:
        from bench import inprocess

        inprocess.run(quick=args.quick)
    if "tcp" in chosen:
        # Its own process: the keyed path runs on its own PostgreSQL database and Redis db.
        subprocess.run(
            [sys.executable, "-m", "bench.tcp", *(["--quick"] if args.quick else [])], check=True
        )
    if "memory" in chosen:
        from bench import tcp

        tcp.run_memory(quick=args.quick)
    if "robustness" in chosen:
        from bench import robustness

        robustness.run(quick=args.quick)
    if "leaderboard" in chosen:
        # Each phase runs in its own process: it points Django at its own PostgreSQL database.
        for phase in (["counts"], ["timings", "10" if args.quick else "30"]):
            subprocess.run([sys.executable, "-m", "bench.leaderboard", *phase], check=True)
    if "pages" in chosen:
        # Its own process too: production settings on its own PostgreSQL database and Redis db.
        subprocess.run(
            [sys.executable, "-m", "bench.pages", *(["--quick"] if args.quick else [])], check=True
        )
    if "sends" in chosen:
        # Its own process too: production settings on its own PostgreSQL database and Redis db.
        subprocess.run(
            [sys.executable, "-m", "bench.sends", *(["--quick"] if args.quick else [])], check=True
        )
    if "scaling" in chosen:
        # Its own process as well: production settings on its own database and Redis db.
        subprocess.run(
            [sys.executable, "-m", "bench.scaling", *(["--quick"] if args.quick else [])],
            check=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
