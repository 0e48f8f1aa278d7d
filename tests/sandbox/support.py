"""Helpers shared by the sandbox tests: running requests at a fixed time,
and checking that an Outcome is well-formed whatever the input was."""

import json
import os
from datetime import UTC, datetime

import h11
from hypothesis import settings

from challenges.sandbox import DIAGNOSTIC_CODES, Outcome, fresh_state, process
from challenges.sandbox.layout import skip_empty_lines

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
REPLICA = "replica-2"


# The properties the sandbox stands on (random bytes, mutated requests, pipelined
# streams, TCP reads split at random points) run 10,000 examples each in CI.
CORE_EXAMPLES = 10_000 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else None


def core_property(test):
    """Give a property test CORE_EXAMPLES examples in CI, the profile's number elsewhere."""
    return settings(max_examples=CORE_EXAMPLES)(test) if CORE_EXAMPLES else test


def crlf(text: str) -> bytes:
    """Write tests with \\n; the wire gets CRLF."""
    return text.replace("\n", "\r\n").encode("utf-8")


def run(raw: bytes, state: dict | None = None, **kwargs) -> Outcome:
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("replica", REPLICA)
    return process(raw, fresh_state() if state is None else state, **kwargs)


def build(
    method: str, target: str, *headers: str, body: bytes | str | None = None, host: bool = True
) -> bytes:
    """A well-formed HTTP/1.1 request; Content-Length is added for a body."""
    lines = [f"{method} {target} HTTP/1.1"]
    if host:
        lines.append("Host: sandbox.localhost")
    lines += headers
    if isinstance(body, str):
        body = body.encode("utf-8")
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def statuses(outcome: Outcome) -> list[int]:
    return [exchange.response.status for exchange in outcome.exchanges]


def located_codes(outcome: Outcome) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in outcome.diagnostics]


def body_json(outcome: Outcome, index: int = -1):
    return json.loads(outcome.exchanges[index].response.body)


def client_view(raw_response: bytes, method: str):
    """Parse one response as an h11 client would: (Response event, body)."""
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method=method, target="/", headers=[("Host", "x")]))
    client.send(h11.EndOfMessage())
    client.receive_data(raw_response)
    client.receive_data(b"")
    head, body = None, b""
    while True:
        event = client.next_event()
        if isinstance(event, h11.Response):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
            return head, body


def assert_well_formed(raw: bytes, outcome: Outcome, state_before: dict, state_copy: dict) -> None:
    """Everything that must hold for any input at all."""
    assert state_before == state_copy, "process() changed the state it was given"
    json.dumps(outcome.state)
    assert outcome.raw_response == b"".join(e.response.raw for e in outcome.exchanges)
    line_count = raw.count(b"\n") + 1
    lines = raw.split(b"\n")
    for diagnostic in outcome.diagnostics:
        assert diagnostic.code in DIAGNOSTIC_CODES
        assert diagnostic.severity == DIAGNOSTIC_CODES[diagnostic.code][0]
        assert 1 <= diagnostic.line <= line_count
        assert 1 <= diagnostic.column <= len(lines[diagnostic.line - 1]) + 1
        assert diagnostic.message and diagnostic.rfc.startswith("RFC ")
    assert [(d.line, d.column) for d in outcome.diagnostics] == sorted(
        (d.line, d.column) for d in outcome.diagnostics
    )
    position = 0
    for index, exchange in enumerate(outcome.exchanges):
        found = raw.find(exchange.raw_request, position)
        assert found != -1 and not raw[position:found].strip(b"\r\n"), (
            "exchanges must consume the input in order"
        )
        position = found + len(exchange.raw_request)
        if index < len(outcome.exchanges) - 1:
            assert not exchange.closes_connection
        _assert_response_well_formed(exchange)
    assert "internal-error" not in {d.code for d in outcome.diagnostics}


def _assert_response_well_formed(exchange) -> None:
    response = exchange.response
    if exchange.request is not None:
        method = exchange.request.method
    else:
        # As the server decides it: the request line, after whole empty lines
        # (a lone CR is not one), starts with HEAD.
        raw = exchange.raw_request
        method = "HEAD" if raw.startswith(b"HEAD ", skip_empty_lines(raw)) else "GET"
    head, body = client_view(response.raw, method)
    assert head.status_code == response.status
    assert body == response.body
    names = {name.lower() for name, _ in response.headers}
    assert {"date", "server", "x-served-by"} <= names
    if response.status == 401:
        assert "www-authenticate" in names
    if response.status == 405:
        assert "allow" in names
    if any(d.severity == "error" for d in exchange.diagnostics):
        assert response.status >= 400 and exchange.closes_connection
        assert exchange.request is None
