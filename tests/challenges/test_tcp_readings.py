"""The TCP sandbox answers a learner's GETs from a cached reading, and reads again when it must.

Each test first shows the reading in use (answered without the database),
then changes what it holds from outside the TCP path, as the editor, the
admin or another sandbox process would, and checks the next answer.
"""

import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from accounts.learner_marks import learner_mark_read
from accounts.models import BadgeAward
from challenges import tcp_gate, tcp_learners
from challenges.models import RecordedExchange
from challenges.services import sandbox_reset, sandbox_send
from challenges.tcp import DjangoSandboxHandler
from challenges.tcp_gate import gates_read
from challenges.tcp_learners import learner_read
from tests.factories import UserFactory
from tests.sandbox.server_harness import running_server

pytestmark = pytest.mark.django_db(transaction=True)
DELETE_FIRST_BOOK = (
    b"DELETE /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n"
    b"Authorization: Basic YWRhOmxvdmVsYWNl\r\n\r\n"
)


class KeepAlive:
    """One keep-alive connection to the sandbox, a request at a time."""

    def __init__(self, port: int, key: str):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.host = f"{key}.sandbox.localhost"

    def get(self, target: str = "/books/1") -> bytes:
        self.sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += self.sock.recv(65536)
        head, _, body = answer.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0])
        while len(body) < length:
            body += self.sock.recv(65536)
        return head.split(b"\r\n", 1)[0]

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def handler():
    cache.clear()
    handler = DjangoSandboxHandler(workers=2)
    yield handler
    handler.close()


@pytest.fixture
def port(handler):
    with running_server(handler=handler) as (_, port):
        yield port


@pytest.fixture
def learner():
    return UserFactory()


@pytest.fixture
def client(port, learner):
    connection = KeepAlive(port, learner.sandbox_key)
    yield connection
    connection.close()


def _warm(client, handler) -> None:
    """Two GETs: the first reads the learner, the second is answered from the reading."""
    assert client.get() == b"HTTP/1.1 200 OK"
    before = handler.answered_from_reading
    assert client.get() == b"HTTP/1.1 200 OK"
    assert handler.answered_from_reading == before + 1


def test_read_only_requests_are_answered_and_recorded_without_reading_again(
    client, handler, learner
):
    _warm(client, handler)
    for _ in range(5):
        assert client.get() == b"HTTP/1.1 200 OK"
    assert handler.answered_from_reading == 6
    handler.recorder.flush()
    assert RecordedExchange.objects.filter(user=learner, source="tcp").count() == 7


def test_a_write_from_the_editor_is_seen_by_the_next_tcp_request(client, handler, learner):
    _warm(client, handler)
    sandbox_send(user=learner, data=DELETE_FIRST_BOOK, source="editor")
    assert client.get() == b"HTTP/1.1 404 Not Found"


def test_a_reset_bookshop_is_seen_by_the_next_tcp_request(client, handler, learner):
    sandbox_send(user=learner, data=DELETE_FIRST_BOOK, source="editor")
    assert client.get() == b"HTTP/1.1 404 Not Found"
    assert client.get() == b"HTTP/1.1 404 Not Found"  # from the reading
    sandbox_reset(user=learner)
    assert client.get() == b"HTTP/1.1 200 OK"


def test_a_write_through_another_sandbox_process_is_seen_here(port, client, handler, learner):
    """Two handlers stand for two processes sharing one port: each keeps its own readings."""
    _warm(client, handler)
    other = DjangoSandboxHandler(workers=1)
    try:
        with running_server(handler=other) as (_, other_port):
            there = KeepAlive(other_port, learner.sandbox_key)
            there.sock.sendall(
                DELETE_FIRST_BOOK.replace(
                    b"sandbox.localhost", f"{learner.sandbox_key}.sandbox.localhost".encode()
                )
            )
            assert there.sock.recv(65536).startswith(b"HTTP/1.1 204 No Content")
            there.close()
    finally:
        other.close()
    assert client.get() == b"HTTP/1.1 404 Not Found"


def test_a_deactivated_learner_is_no_longer_answered_from_their_bookshop(client, handler, learner):
    _warm(client, handler)
    learner.is_active = False
    learner.save()
    client.sock.sendall(
        f"GET /books/1 HTTP/1.1\r\nHost: {client.host}\r\nConnection: close\r\n\r\n".encode()
    )
    answer = b""
    while chunk := client.sock.recv(65536):
        answer += chunk
    assert b"X-Sandbox-Note: no learner key" in answer  # the throw-away bookshop answered
    handler.recorder.flush()
    assert RecordedExchange.objects.filter(user=learner).count() == 2


def test_a_badge_taken_away_in_the_admin_is_given_again(client, handler, learner):
    _warm(client, handler)
    BadgeAward.objects.filter(user=learner, badge="terminal").delete()
    assert client.get() == b"HTTP/1.1 200 OK"
    assert BadgeAward.objects.filter(user=learner, badge="terminal").exists()


def test_a_reading_is_not_used_once_it_is_too_old(client, handler, monkeypatch):
    monkeypatch.setattr(tcp_learners, "READING_SECONDS", 0.0)
    for _ in range(3):
        assert client.get() == b"HTTP/1.1 200 OK"
    assert handler.answered_from_reading == 0


def test_a_reading_ends_with_the_learners_day(learner):
    learner.time_zone = "Pacific/Auckland"
    learner.save()
    now = datetime(2026, 12, 4, 10, 59, tzinfo=UTC)  # 23:59 on 4 December in Auckland
    first = learner_read(learner.sandbox_key, "old mark", now)
    # Counting the day and giving the badge renewed the mark: the reading carries the new one.
    mark = learner_mark_read(learner.sandbox_key)
    assert first.mark == mark != "old mark"
    reading = learner_read(learner.sandbox_key, mark, now)  # nothing to write this time
    assert reading.mark == mark and reading.current(mark, now)
    assert not reading.current(mark, now + timedelta(minutes=1))  # midnight there
    assert not reading.current("another mark", now)
    assert not reading.current(None, now)


def test_a_cache_that_fails_is_never_trusted_for_readings(monkeypatch):
    def broken():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tcp_gate, "redis_client", broken)
    [gate] = gates_read(["kabcdefghijk"])
    assert gate.mark is None and gate.count == 0
