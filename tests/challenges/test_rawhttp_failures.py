"""rawhttp never prints a traceback: a learner's mistake is a 4xx with its
diagnostic, and a failure of the sandbox itself a 500 that says so."""

import io
import json

import pytest
from django.core.management import call_command

from challenges.sandbox import engine, framing

pytestmark = pytest.mark.django_db


def _boom(*args, **kwargs):
    raise RuntimeError("a bug planted by the test")


def _rawhttp(path, *args) -> str:
    out = io.StringIO()
    call_command("rawhttp", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("host", [b"[/", b"a[b/c", b"[x]/"])
def test_a_host_with_a_stray_bracket_is_a_400_not_a_traceback(tmp_path, host):
    path = tmp_path / "req.http"
    path.write_bytes(b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
    out = _rawhttp(path)
    assert "2:7 error [invalid-host]" in out
    assert "HTTP/1.1 400 Bad Request" in out


STAGES = {
    "framing": (engine, "frame_request"),
    "framing-deep": (framing, "read_clean_head"),
    "lint": (engine, "lint_slice"),
    "parse": (engine, "parse_request"),
    "answer": (engine, "finalize"),
    "answer-handler": (engine, "respond"),
}


@pytest.mark.parametrize("stage", STAGES)
def test_a_failure_in_any_stage_prints_a_500(tmp_path, monkeypatch, stage):
    module, name = STAGES[stage]
    monkeypatch.setattr(module, name, _boom)
    path = tmp_path / "req.http"
    path.write_bytes(b"GET /books HTTP/1.1\r\nHost: x\r\n\r\n")
    out = _rawhttp(path)
    assert "1:1 error [internal-error] The sandbox itself failed" in out
    assert "HTTP/1.1 500 Internal Server Error" in out
    document = json.loads(_rawhttp(path, "--json"))
    assert [d["code"] for d in document["diagnostics"]] == ["internal-error"]
    assert [e["response"]["status"] for e in document["exchanges"]] == [500]


def test_follow_ons_print_under_their_cause(tmp_path):
    path = tmp_path / "req.http"
    path.write_bytes(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n{}")
    lines = _rawhttp(path).splitlines()
    root = next(i for i, line in enumerate(lines) if "[content-length-shorter-than-body]" in line)
    assert lines[root].startswith("  5:2 error")
    assert lines[root + 1].startswith("    ↳ 5:2 error [malformed-request-line]")
    assert sum("[malformed-request-line]" in line for line in lines) == 1
    document = json.loads(_rawhttp(path, "--json"))
    codes = [(d["code"], d.get("caused_by")) for d in document["diagnostics"]]
    assert codes == [
        ("content-length-shorter-than-body", None),
        ("malformed-request-line", "content-length-shorter-than-body"),
    ]
