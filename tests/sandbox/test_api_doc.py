"""The raw requests shown in API.md are correct: each gets a success status
and no error diagnostic from a fresh bookshop."""

import re
from pathlib import Path

import pytest

from .support import run

API_MD = Path(__file__).resolve().parents[2] / "challenges" / "sandbox" / "API.md"
BLOCK = re.compile(r"```http\n(.*?)```", re.S)


def documented_requests() -> list[bytes]:
    requests = []
    for block in BLOCK.findall(API_MD.read_text(encoding="utf-8")):
        lines = [line.strip() if line.startswith("   ") else line for line in block.split("\n")]
        if lines[0].startswith("HTTP/"):
            continue  # a response, not a request
        head, _, body = "\n".join(lines).partition("\n\n")
        requests.append((head + "\n\n").replace("\n", "\r\n").encode() + body.rstrip("\n").encode())
    return requests


def test_api_md_shows_requests():
    assert len(documented_requests()) >= 5


@pytest.mark.parametrize("raw", documented_requests())
def test_documented_request_works(raw: bytes):
    outcome = run(raw)
    assert [d.code for d in outcome.diagnostics if d.severity == "error"] == []
    assert len(outcome.exchanges) == 1
    assert outcome.exchanges[0].response.status < 400
