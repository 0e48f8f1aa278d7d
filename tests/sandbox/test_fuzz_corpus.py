"""Every input that ever crashed the sandbox (fuzz/crashes/, the regression
corpus atheris adds to) and the fuzzer's seeds are replayed here: each gets
a response, and none is the sandbox's own 500."""

import copy
from pathlib import Path

import pytest

from challenges.sandbox import fresh_state

from .support import assert_well_formed, run

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
CORPUS = sorted(
    path for folder in ("crashes", "seeds") for path in (FUZZ / folder).iterdir() if path.is_file()
)


def test_the_regression_corpus_holds_the_host_bracket_crashes():
    crashes = {path.name for path in CORPUS if path.parent.name == "crashes"}
    assert {
        "host-open-bracket-and-slash",
        "host-bracket-inside-a-path",
        "host-bracketed-word-and-slash",
    } <= crashes


@pytest.mark.parametrize("path", CORPUS, ids=[f"{p.parent.name}/{p.name}" for p in CORPUS])
def test_every_corpus_input_gets_an_answer_and_no_crash(path: Path):
    raw = path.read_bytes()
    state = fresh_state()
    state_copy = copy.deepcopy(state)
    outcome = run(raw, state)
    if raw.strip(b"\r\n"):
        assert outcome.exchanges, "every input with a byte to read gets a response"
    assert all(exchange.response.status != 500 for exchange in outcome.exchanges)
    assert_well_formed(raw, outcome, state, state_copy)
