"""The TCP sandbox with Django behind it: learner keys, recording, same bytes as the editor path."""

import re
import subprocess

import pytest
from django.core.cache import cache

from challenges import tcp
from challenges.models import RecordedExchange, SandboxState
from challenges.services import sandbox_send, sandbox_state_for
from challenges.tcp import DjangoSandboxHandler, learner_key
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from tests.sandbox.server_harness import exchange, running_server

pytestmark = pytest.mark.django_db(transaction=True)

_VARIABLE = re.compile(rb"^(Date|X-Served-By): .*\r\n", re.MULTILINE)


def _stable(raw: bytes) -> bytes:
    """The response without the two fields that differ per request by design."""
    return _VARIABLE.sub(b"", raw)


@pytest.fixture
def handler():
    handler = DjangoSandboxHandler(workers=2)
    yield handler
    handler.close()


@pytest.fixture
def server(handler):
    """The server's address; `recorded()` reads what it recorded, once its batch is written."""
    with running_server(handler=handler) as address:
        yield address


@pytest.fixture
def recorded(handler):
    def rows(**filters):
        handler.recorder.flush()
        return RecordedExchange.objects.filter(**filters)

    return rows


@pytest.mark.parametrize(
    "head, key",
    [
        (b"GET / HTTP/1.1\r\nHost: kabcdefghijk.sandbox.localhost:8080\r\n\r\n", "kabcdefghijk"),
        (b"GET / HTTP/1.1\r\nhost:KABCDEFGHIJK.sandbox.localhost\r\n\r\n", "kabcdefghijk"),
        (b"GET / HTTP/1.1\nHost: kabcdefghijk.example\n\n", "kabcdefghijk"),
        (b"GET / HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n", None),
        (b"GET / HTTP/1.1\r\n\r\n", None),
        (b"GET / HTTP/1.1\r\nHost: kshort.sandbox.localhost\r\n\r\n", None),
        # An absolute-form target's authority wins over Host (RFC 9112 §3.2.2).
        (
            b"GET http://kabcdefghijk.sandbox.localhost/ HTTP/1.1\r\nHost: kzzzzzzzzzzz.x\r\n\r\n",
            "kabcdefghijk",
        ),
        (b"GET http://sandbox.localhost/ HTTP/1.1\r\nHost: kabcdefghijk.x\r\n\r\n", None),
        (b"GET http://[/ HTTP/1.1\r\nHost: kabcdefghijk.x\r\n\r\n", None),
    ],
)
def test_learner_key_comes_from_the_host_the_request_names(head, key):
    assert learner_key(head) == key


def test_requests_with_a_key_use_and_change_the_learners_own_bookshop(server, recorded):
    learner, other = UserFactory(), UserFactory()
    host = f"{learner.sandbox_key}.sandbox.localhost"
    delete = f"DELETE /books/1 HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic YWRhOmxvdmVsYWNl\r\nConnection: close\r\n\r\n"
    answer = exchange(server[1], delete.encode())
    assert answer.startswith(b"HTTP/1.1 204 No Content")
    assert len(SandboxState.objects.get(user=learner).data["books"]) == 5
    assert len(sandbox_state_for(other).data["books"]) == 6
    row = recorded(user=learner).get()
    assert row.source == "tcp" and row.method == "DELETE" and row.status == 204


def test_without_a_key_a_throw_away_bookshop_answers_and_says_how_to_use_a_key(server):
    answer = exchange(
        server[1], b"GET /books HTTP/1.1\r\nHost: sandbox.localhost\r\nConnection: close\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 200 OK\r\nX-Sandbox-Note: no learner key in Host")
    assert not RecordedExchange.objects.exists()


def test_tcp_and_editor_paths_give_byte_identical_responses(server):
    tcp_learner, editor_learner = UserFactory(), UserFactory()
    state = sandbox_state_for(tcp_learner).data
    SandboxState.objects.filter(user=editor_learner).delete()
    SandboxState.objects.create(user=editor_learner, data=state)
    login = b'{"username": "ada", "password": "lovelace"}'

    def requests_for(user) -> bytes:
        host = f"Host: {user.sandbox_key}.sandbox.localhost\r\n".encode()
        gets = [
            b"GET " + target + b" HTTP/1.1\r\n" + host + b"\r\n"
            for target in (b"/books/1", b"/books?author=Jane%20Austen", b"/nope", b"/me")
        ]
        post = (
            b"POST /login HTTP/1.1\r\n"
            + host
            + b"Content-Type: application/json\r\n"
            + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(login)
            + login
        )
        return b"".join(gets) + post

    tcp_bytes, editor_bytes = requests_for(tcp_learner), requests_for(editor_learner)
    over_tcp = exchange(server[1], tcp_bytes)
    in_process, _ = sandbox_send(user=editor_learner, data=editor_bytes, source="editor")
    assert over_tcp.count(b"HTTP/1.1 ") == 5
    assert _stable(over_tcp) == _stable(in_process.raw_response)


def test_curl_with_the_learners_key_host(server, recorded):
    learner = UserFactory()
    host, port = server
    result = subprocess.run(
        [
            "curl",
            "-sS",
            "-i",
            "--max-time",
            "10",
            "-H",
            f"Host: {learner.sandbox_key}.sandbox.localhost",
            f"http://{host}:{port}/books/1",
        ],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.stdout.startswith("HTTP/1.1 200 OK"), result.stdout[:200]
    assert recorded(user=learner, source="tcp").count() == 1


def test_an_absolute_form_target_picks_the_learner_and_a_disagreeing_host_is_noted(
    server, recorded
):
    learner = UserFactory()
    raw = (
        f"GET http://{learner.sandbox_key}.sandbox.localhost/books/1 HTTP/1.1\r\n"
        "Host: someone-else.example\r\nConnection: close\r\n\r\n"
    ).encode()
    answer = exchange(server[1], raw)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and b"X-Sandbox-Note" not in answer
    row = recorded(user=learner).get()
    [note] = row.diagnostics
    assert (note["code"], note["line"], note["column"]) == ("host-disagrees-with-target", 2, 7)
    assert note["fix"] == f"Host: {learner.sandbox_key}.sandbox.localhost"


def test_a_learner_closing_mid_request_gets_and_records_a_400(server, recorded):
    learner = UserFactory()
    raw = f"GET /books HTTP/1.1\r\nHost: {learner.sandbox_key}.sandbox.localhost\r\n".encode()
    answer = exchange(server[1], raw)  # sends, then closes its side
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    row = recorded(user=learner).get()
    assert row.status == 400
    assert [d["code"] for d in row.diagnostics] == ["client-closed-early"]


def test_keyed_traffic_past_the_rate_limit_gets_429_and_is_not_recorded(
    server, recorded, monkeypatch
):
    monkeypatch.setattr(tcp, "TCP_REQUESTS_PER_MINUTE", 3)
    cache.clear()
    learner = UserFactory()
    get = f"GET /books/1 HTTP/1.1\r\nHost: {learner.sandbox_key}.sandbox.localhost\r\n\r\n"
    answer = exchange(server[1], get.encode() * 5)
    assert answer.count(b"HTTP/1.1 200 OK\r\n") == 3
    refusal = answer[answer.index(b"HTTP/1.1 429 ") :]
    assert refusal.startswith(b"HTTP/1.1 429 Too Many Requests\r\n")
    retry_after = int(re.search(rb"Retry-After: (\d+)\r\n", refusal).group(1))
    assert 1 <= retry_after <= 60
    assert b"Connection: close\r\n" in refusal and refusal.count(b"HTTP/1.1 ") == 1
    assert recorded(user=learner).count() == 3
    other = UserFactory()  # the limit is per learner
    assert exchange(
        server[1], get.replace(learner.sandbox_key, other.sandbox_key).encode()
    ).startswith(b"HTTP/1.1 200 OK")


def test_the_rate_window_says_how_long_to_wait():
    cache.clear()
    start = 1_000_040.0  # 20 s into a 60 s window (windows start at multiples of 60)
    for _ in range(tcp.TCP_REQUESTS_PER_MINUTE):
        assert tcp.learner_rate_wait("kwindowtest1", now=start) is None
    assert tcp.learner_rate_wait("kwindowtest1", now=start + 5) == 35
    assert tcp.learner_rate_wait("kwindowtest1", now=start + 40) is None  # a new window


def test_the_keyed_rate_limit_holds_under_concurrent_requests(postgres_only, monkeypatch):
    """Two servers (as two sandbox processes would be) share one count per key."""
    monkeypatch.setattr(tcp, "TCP_REQUESTS_PER_MINUTE", 5)
    cache.clear()
    learner = UserFactory()
    get = f"GET /books/1 HTTP/1.1\r\nHost: {learner.sandbox_key}.sandbox.localhost\r\nConnection: close\r\n\r\n"
    first, second = DjangoSandboxHandler(workers=2), DjangoSandboxHandler(workers=2)
    turn = iter(range(16))
    try:
        with running_server(handler=first) as one, running_server(handler=second) as two:
            ports = [one[1], two[1]]
            results = run_concurrently(lambda: exchange(ports[next(turn) % 2], get.encode()), 16)
    finally:
        first.close()
        second.close()
    assert not [r for r in results if isinstance(r, Exception)], results
    answers = [r.split(b"\r\n", 1)[0] for r in results]
    assert answers.count(b"HTTP/1.1 200 OK") == 5
    assert answers.count(b"HTTP/1.1 429 Too Many Requests") == 11
    assert RecordedExchange.objects.filter(user=learner).count() == 5
