import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from challenges.models import RecordedExchange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _run(*args, stdin: bytes | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command("rawhttp", *args, stdout=out)
    return out.getvalue()


def test_bytes_are_sent_exactly_as_read_from_a_file(tmp_path):
    path = tmp_path / "req.http"
    path.write_bytes(b"GET /books/1 HTTP/1.1\nHost: x\n\n")  # bare LF, kept as is
    out = _run(str(path))
    assert "warning [bare-lf]" in out
    assert "HTTP/1.1 200 OK" in out


def test_stdin_and_json_output_have_the_documented_shape(monkeypatch):
    out = _run(
        "-", "--json", stdin=b"GET /books/1 HTTP/1.1\r\nHost : x\r\n\r\n", monkeypatch=monkeypatch
    )
    document = json.loads(out)
    assert set(document) == {"diagnostics", "exchanges"}
    (diagnostic,) = [d for d in document["diagnostics"] if d["code"] == "space-before-colon"]
    assert set(diagnostic) == {"code", "line", "column", "severity", "message", "rfc"}
    assert (diagnostic["line"], diagnostic["column"]) == (2, 5)
    (exchange,) = document["exchanges"]
    assert set(exchange["response"]) == {"status", "reason", "headers", "body", "raw"}
    assert exchange["response"]["status"] == 400


def test_json_request_fields_for_a_good_request(monkeypatch):
    out = _run(
        "-", "--json", stdin=b"GET /books/1 HTTP/1.1\r\nHost: x\r\n\r\n", monkeypatch=monkeypatch
    )
    (exchange,) = json.loads(out)["exchanges"]
    assert exchange["request"] == {
        "method": "GET",
        "target": "/books/1",
        "http_version": "1.1",
        "headers": [["Host", "x"]],
        "body": "",
    }
    assert exchange["response"]["raw"].startswith("HTTP/1.1 200 OK\r\n")


def test_user_option_uses_and_records_that_learners_sandbox(tmp_path):
    user = UserFactory(username="ada")
    path = tmp_path / "req.http"
    path.write_bytes(b"GET /books HTTP/1.1\r\nHost: x\r\n\r\n")
    _run(str(path), "--user", "ada")
    assert RecordedExchange.objects.get(user=user).source == "cli"


def test_unknown_user_and_missing_file_are_clear_errors(tmp_path):
    path = tmp_path / "req.http"
    path.write_bytes(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    with pytest.raises(CommandError, match="No learner with username 'nobody'"):
        _run(str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="No such file"):
        _run(str(tmp_path / "missing.http"))
