"""Coverage-guided fuzzing of `process()` with atheris (libFuzzer for Python).

Run it with `make fuzz` (bounded by FUZZ_RUNS and FUZZ_SECONDS). Any input
that makes the sandbox fail is a crash: an exception out of `process()`, or
an answer that carries the `internal-error` diagnostic (the entry point turns
every exception into that 500, so without this check the fuzzer would see
nothing). libFuzzer writes each crash into fuzz/crashes/, the regression
corpus that tests/sandbox/test_fuzz_corpus.py replays in the normal suite:
commit the file with the fix.
"""

import sys
from datetime import UTC, datetime

import atheris

with atheris.instrument_imports(include=["challenges.sandbox", "h11"]):
    from challenges.sandbox import fresh_state, process

STATE = fresh_state()
NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


class SandboxFailed(Exception):
    """The sandbox answered an input with its own failure."""


def answer_one_input(data: bytes) -> None:
    outcome = process(data, STATE, now=NOW, replica="replica-1")
    failures = [d for d in outcome.diagnostics if d.code == "internal-error"]
    if failures:
        raise SandboxFailed(failures[0].message)
    if outcome.raw_response and not outcome.raw_response.startswith(b"HTTP/1.1 "):
        raise SandboxFailed("a response that does not start with a status line")


def main() -> None:
    atheris.Setup(sys.argv, answer_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
