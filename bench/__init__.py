"""Benchmarks for `make bench`: they print figures and assert nothing (see bench/README.md)."""
