"""The TCP sandbox with Django behind it: learner keys, recording, same bytes as the editor path."""

import re
import subprocess

import pytest

from challenges.models import RecordedExchange, SandboxState
from challenges.services import sandbox_send, sandbox_state_for
from challenges.tcp import DjangoSandboxHandler, learner_key
from tests.factories import UserFactory
from tests.sandbox.server_harness import exchange, running_server

pytestmark = pytest.mark.django_db(transaction=True)

_VARIABLE = re.compile(rb"^(Date|X-Served-By): .*\r\n", re.MULTILINE)


def _stable(raw: bytes) -> bytes:
    """The response without the two fields that differ per request by design."""
    return _VARIABLE.sub(b"", raw)


@pytest.fixture
def server():
    with running_server(handler=DjangoSandboxHandler(workers=2)) as address:
        yield address


@pytest.mark.parametrize(
    "head, key",
    [
        (b"GET / HTTP/1.1\r\nHost: kabcdefghijk.sandbox.localhost:8080\r\n\r\n", "kabcdefghijk"),
        (b"GET / HTTP/1.1\r\nhost:KABCDEFGHIJK.sandbox.localhost\r\n\r\n", "kabcdefghijk"),
        (b"GET / HTTP/1.1\nHost: kabcdefghijk.example\n\n", "kabcdefghijk"),
        (b"GET / HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n", None),
        (b"GET / HTTP/1.1\r\n\r\n", None),
        (b"GET / HTTP/1.1\r\nHost: kshort.sandbox.localhost\r\n\r\n", None),
    ],
)
def test_learner_key_comes_from_the_host_header(head, key):
    assert learner_key(head) == key


def test_requests_with_a_key_use_and_change_the_learners_own_bookshop(server):
    learner, other = UserFactory(), UserFactory()
    host = f"{learner.sandbox_key}.sandbox.localhost"
    delete = f"DELETE /books/1 HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic YWRhOmxvdmVsYWNl\r\nConnection: close\r\n\r\n"
    answer = exchange(server[1], delete.encode())
    assert answer.startswith(b"HTTP/1.1 204 No Content")
    assert len(SandboxState.objects.get(user=learner).data["books"]) == 5
    assert len(sandbox_state_for(other).data["books"]) == 6
    row = RecordedExchange.objects.get(user=learner)
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


def test_curl_with_the_learners_key_host(server):
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
    assert RecordedExchange.objects.filter(user=learner, source="tcp").count() == 1
