"""No input crashes the sandbox: a failure anywhere in framing, lint, parse
or answer becomes a 500 whose diagnostic says the sandbox failed, logged
once with the input's hash (guard.py)."""

import copy
import hashlib
import logging

import pytest

from challenges.sandbox import engine, frame_request_safely, framing, lint_fields
from challenges.sandbox.guard import failure_response
from challenges.sandbox.render import finalize, protocol_error_reply

from .support import NOW, REPLICA, build, client_view, run, statuses

REQUEST = build("GET", "/books")
PIPELINED = REQUEST + build("HEAD", "/books/1")


def _boom(*args, **kwargs):
    raise RuntimeError("a bug planted by the test")


# Each stage's entry as process() calls it, and a function deep inside it.
STAGES = {
    "framing": (engine, "frame_request"),
    "framing-deep": (framing, "read_clean_head"),
    "lint": (engine, "lint_slice"),
    "parse": (engine, "parse_request"),
    "answer": (engine, "finalize"),
}
STAGE_NAMES = {"framing-deep": "framing"}


def _failures(caplog) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "challenges.sandbox" and r.levelno >= logging.ERROR
    ]


@pytest.fixture
def sandbox_log(caplog):
    caplog.set_level(logging.ERROR, logger="challenges.sandbox")
    return caplog


@pytest.mark.parametrize("stage", STAGES, ids=STAGES)
@pytest.mark.parametrize("raw", [REQUEST, PIPELINED], ids=["one", "pipelined"])
def test_a_failure_in_any_stage_is_a_500_logged_once(stage, raw, monkeypatch, sandbox_log):
    module, name = STAGES[stage]
    monkeypatch.setattr(module, name, _boom)
    state = {"books": [], "seed": 1}
    before = copy.deepcopy(state)
    outcome = run(raw, state)
    assert statuses(outcome) == [500]
    (diagnostic,) = outcome.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("internal-error", 1, 1)
    digest = hashlib.sha256(raw).hexdigest()[:16]
    assert f"sha256:{digest}" in diagnostic.message
    assert "our mistake, not yours" in diagnostic.message
    (exchange,) = outcome.exchanges
    assert exchange.closes_connection and exchange.raw_request == raw
    assert exchange.response.header("Connection") == "close"
    head, body = client_view(exchange.response.raw, "GET")
    assert head.status_code == 500 and body == exchange.response.body
    assert state == before and outcome.state is state
    (record,) = _failures(sandbox_log)
    assert digest in record.getMessage() and "RuntimeError" in record.getMessage()
    assert record.exc_info is not None


def test_the_old_host_crash_would_now_be_a_500(monkeypatch, sandbox_log):
    def old_invalid_host(host):
        raise ValueError("Invalid IPv6 URL")  # what urlsplit() raised on "Host: [/"

    monkeypatch.setattr(lint_fields, "_invalid_host", old_invalid_host)
    outcome = run(b"GET / HTTP/1.1\r\nHost: [/\r\n\r\n")
    assert statuses(outcome) == [500]
    assert "during framing, ValueError" in outcome.diagnostics[0].message
    assert len(_failures(sandbox_log)) == 1


def test_the_log_names_the_stage(monkeypatch, sandbox_log):
    for stage, (module, name) in STAGES.items():
        with monkeypatch.context() as patched:
            patched.setattr(module, name, _boom)
            sandbox_log.clear()
            run(REQUEST)
            (record,) = _failures(sandbox_log)
            assert f"during {STAGE_NAMES.get(stage, stage)}" in record.getMessage(), stage


def test_a_failing_handler_keeps_the_answers_before_it(monkeypatch, sandbox_log):
    calls = []

    def respond_once(request, state, now, lint_codes):
        calls.append(request)
        if len(calls) == 2:
            raise KeyError("planted")
        return engine_respond(request, state, now, lint_codes)

    engine_respond = engine.respond
    monkeypatch.setattr(engine, "respond", respond_once)
    outcome = run(REQUEST + REQUEST)
    assert statuses(outcome) == [200, 500]
    assert [d.code for d in outcome.diagnostics] == ["internal-error"]
    assert "during answer, KeyError" in outcome.diagnostics[0].message
    assert len(_failures(sandbox_log)) == 1


def test_a_head_request_gets_a_500_without_a_body(monkeypatch):
    monkeypatch.setattr(engine, "lint_slice", _boom)
    raw = build("HEAD", "/books")
    outcome = run(raw)
    response = outcome.exchanges[0].response
    assert response.status == 500 and response.body == b""
    head, body = client_view(response.raw, "HEAD")
    assert head.status_code == 500 and body == b""


def test_the_guards_500_has_the_bytes_finalize_would_write():
    written = finalize(
        protocol_error_reply("internal-error", 500),
        head_request=False,
        now=NOW,
        replica=REPLICA,
        connection="close",
    )
    assert failure_response(NOW, REPLICA).raw == written.raw
    assert failure_response(NOW, REPLICA).headers == written.headers


def test_safe_framing_answers_the_whole_buffer_and_logs_once(monkeypatch, sandbox_log):
    monkeypatch.setattr(framing, "_frame", _boom)
    buffer = REQUEST + b"GET /more"
    frame = frame_request_safely(buffer)
    assert frame.end == len(buffer)
    assert frame.failure == hashlib.sha256(buffer).hexdigest()[:16]
    # The TCP server hands the same bytes object to its handler's process().
    outcome = run(buffer[: frame.end])
    assert statuses(outcome) == [500]
    assert frame.failure in outcome.diagnostics[0].message
    assert "during framing" in outcome.diagnostics[0].message
    assert len(_failures(sandbox_log)) == 1


def test_safe_framing_is_plain_framing_when_nothing_fails():
    assert frame_request_safely(PIPELINED).end == len(REQUEST)
    assert frame_request_safely(b"GET / HTTP/1.1\r\n").end is None
    assert frame_request_safely(PIPELINED).failure is None


def test_a_broken_state_is_answered_not_raised(sandbox_log):
    outcome = run(REQUEST, {"books": "not a list"})
    assert statuses(outcome) == [500]
    assert len(_failures(sandbox_log)) == 1
