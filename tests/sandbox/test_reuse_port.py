"""SandboxServer.start(reuse_port=True): several listeners share one port (SO_REUSEPORT).

Linux spreads new connections over every socket in the port's group, by a hash
of each connection's addresses and ports, whether the sockets belong to one
process or several; so two servers in one event loop show the sharing as well
as two processes do (tests/challenges/test_sandbox_reuse_port.py runs those).
"""

import asyncio
import errno

import pytest

from challenges.sandbox.server import Reply, SandboxServer

from .server_harness import run_coroutine

CONNECTIONS = 64  # all on one listener by chance: 2 in 2**64


def _named(name: str):
    async def handler(raw: bytes, connection) -> Reply:
        body = name.encode()
        return Reply(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))

    return handler


async def _answered_by(port: int) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        return (await reader.readexactly(length)).decode()
    finally:
        writer.close()


async def _two_servers(first_reuses: bool, second_reuses: bool):
    """Start `first` on a free port, then try `second` on the same one; return both and
    the port, or the OSError the second start raised."""
    first, second = SandboxServer(_named("first")), SandboxServer(_named("second"))
    await first.start("127.0.0.1", 0, reuse_port=first_reuses)
    try:
        await second.start("127.0.0.1", first.port, reuse_port=second_reuses)
    except OSError as error:
        await first.close()
        return error
    return first, second


def test_two_servers_started_with_reuse_port_share_one_port_and_both_answer():
    async def scenario():
        first, second = await _two_servers(True, True)
        try:
            assert first.port == second.port
            return await asyncio.gather(*(_answered_by(first.port) for _ in range(CONNECTIONS)))
        finally:
            await first.close()
            await second.close()

    answers = run_coroutine(scenario())
    assert set(answers) == {"first", "second"}
    assert len(answers) == CONNECTIONS


@pytest.mark.parametrize(
    "first_reuses, second_reuses",
    [(False, False), (False, True), (True, False)],
    ids=["neither", "only-the-second", "only-the-first"],
)
def test_a_port_is_shared_only_when_every_server_asks_for_it(first_reuses, second_reuses):
    error = run_coroutine(_two_servers(first_reuses, second_reuses))
    assert isinstance(error, OSError)
    assert error.errno == errno.EADDRINUSE


def test_a_server_alone_on_its_port_answers_with_or_without_reuse_port():
    async def scenario(reuse_port: bool) -> str:
        server = SandboxServer(_named("alone"))
        await server.start("127.0.0.1", 0, reuse_port=reuse_port)
        try:
            return await _answered_by(server.port)
        finally:
            await server.close()

    assert run_coroutine(scenario(False)) == run_coroutine(scenario(True)) == "alone"
