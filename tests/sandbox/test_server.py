"""The TCP server core with real clients on 127.0.0.1: http.client, curl, raw sockets."""

import http.client
import json
import random
import socket
import subprocess
import threading
import time

import pytest

from challenges.sandbox.server import Reply, ServerConfig

from .server_harness import exchange, running_server
from .support import build, run


@pytest.fixture(scope="module")
def server():
    with running_server() as address:
        yield address


def test_http_client_gets_the_book_list_over_keep_alive(server):
    host, port = server
    connection = http.client.HTTPConnection(host, port, timeout=10)
    for _ in range(3):  # one connection, three requests
        connection.request("GET", "/books")
        response = connection.getresponse()
        assert response.status == 200
        assert json.loads(response.read())
    connection.close()


@pytest.mark.parametrize(
    "args, expected",
    [
        (["/books/1"], "HTTP/1.1 200 OK"),
        (["--head", "/books/1"], "HTTP/1.1 200 OK"),
        (
            [
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                '{"title": "Dune", "author": "Frank Herbert", "year": 1965}',
                "/books",
            ],
            "HTTP/1.1 201 Created",
        ),
        (
            [
                "-X",
                "PUT",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                '{"title": "Emma", "author": "Jane Austen", "year": 1815}',
                "/books/1",
            ],
            "HTTP/1.1 ",
        ),
        (["-X", "DELETE", "-u", "ada:lovelace", "/books/2"], "HTTP/1.1 204 No Content"),
        (["-H", 'If-None-Match: "book-1-v1"', "/books/1"], "HTTP/1.1 304 Not Modified"),
    ],
)
def test_curl_talks_to_the_sandbox(server, args, expected):
    host, port = server
    *options, path = args
    result = subprocess.run(
        ["curl", "-sS", "-i", "--max-time", "10", *options, f"http://{host}:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(expected), result.stdout[:300]


def test_pipelined_requests_get_the_same_bytes_as_in_process(server):
    data = (
        build("GET", "/books/1")
        + build("GET", "/nope")
        + build("HEAD", "/books", "Connection: close")
    )
    assert exchange(server[1], data) == run(data).raw_response


@pytest.mark.parametrize("seed", range(12))
def test_random_split_points_give_the_same_bytes(server, seed):
    rng = random.Random(seed)
    data = (
        build(
            "POST",
            "/books",
            "Content-Type: application/json",
            body='{"title": "Dune", "author": "Frank Herbert", "year": 1965}',
        )
        + b"GET /books/7 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        + build("GET", "/books?author=Jane%20Austen", "Connection: close")
    )
    cuts = sorted(rng.sample(range(1, len(data)), 5))
    pieces = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
    assert exchange(server[1], data, pieces=pieces, pause=0.01) == run(data).raw_response


def test_a_broken_request_is_answered_then_the_connection_closes(server):
    data = b"GET /books HTTP/1.1\r\nHost : x\r\n\r\n" + build("GET", "/books/1")
    answer = exchange(server[1], data)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert answer.count(b"HTTP/1.1 ") == 1
    assert answer == run(data).raw_response


def test_slowloris_is_cut_off_while_another_client_is_served():
    config = ServerConfig(head_timeout=1.0, request_timeout=2.0, idle_timeout=1.0)
    with running_server(config=config) as (host, port):
        slow = socket.create_connection((host, port), timeout=10)
        started = time.monotonic()
        stop = threading.Event()

        def trickle():  # a byte every 0.2 s, never finishing the head
            slow.sendall(b"GET /books HTTP/1.1\r\nX-Slow: ")
            while not stop.wait(0.2):
                try:
                    slow.sendall(b"a")
                except OSError:
                    return

        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        served = exchange(port, build("GET", "/books/1", "Connection: close"))
        assert served.startswith(b"HTTP/1.1 200 OK")
        assert time.monotonic() - started < 1.0  # not held up by the slow client
        answer = b""
        while chunk := slow.recv(65536):
            answer += chunk
        cut_after = time.monotonic() - started
        stop.set()
        thread.join(5)
        slow.close()
        assert 0.9 < cut_after < 3.0
        assert answer.startswith(b"HTTP/1.1 408 ") or answer.startswith(b"HTTP/1.1 400 "), answer[
            :200
        ]


def test_idle_keep_alive_connections_are_closed():
    with running_server(config=ServerConfig(idle_timeout=0.5)) as (host, port):
        sock = socket.create_connection((host, port), timeout=5)
        sock.sendall(build("GET", "/books/1"))
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK")
        started = time.monotonic()
        assert sock.recv(65536) == b""  # the server hung up
        assert time.monotonic() - started < 3
        sock.close()


def test_connections_per_address_are_capped():
    with running_server(config=ServerConfig(max_connections_per_ip=2)) as (host, port):
        held = [socket.create_connection((host, port), timeout=5) for _ in range(2)]
        time.sleep(0.2)
        refused = exchange(port, build("GET", "/books"))
        assert refused.startswith(b"HTTP/1.1 503 Service Unavailable")
        assert b"Retry-After: 5" in refused
        for sock in held:
            sock.close()
        time.sleep(0.2)
        assert exchange(port, build("GET", "/books", "Connection: close")).startswith(
            b"HTTP/1.1 200 OK"
        )


def test_the_eleventh_request_on_one_connection_gets_400_as_in_process(server):
    data = b"".join(build("GET", f"/books/{1 + n % 6}") for n in range(11))
    answer = exchange(server[1], data)
    assert answer.count(b"HTTP/1.1 200 OK") == 10
    assert answer == run(data).raw_response


def test_after_closing_with_an_error_the_server_still_reads_for_a_moment():
    """A lingering close: the answer arrives, then the end of the stream, and what
    the client still sends is read and dropped instead of earning a reset."""
    with running_server(config=ServerConfig(linger=1.0)) as (host, port):
        sock = socket.create_connection((host, port), timeout=5)
        sock.sendall(b"GET /books HTTP/1.1\r\nHost : x\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 400 ")
        for _ in range(3):  # a reset would make the second or third send fail
            time.sleep(0.1)
            sock.sendall(b"more bytes the client had queued\r\n")
        sock.close()


def test_a_failing_handler_gets_the_client_a_500():
    async def broken(raw: bytes, connection) -> Reply:
        raise RuntimeError("the database is gone")

    with running_server(handler=broken) as (host, port):
        answer = exchange(port, build("GET", "/books/1"))
    assert answer.startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
    assert b"Connection: close\r\n" in answer
    head, body = answer.split(b"\r\n\r\n", 1)
    assert int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0]) == len(body)


def test_a_request_trickling_in_without_line_breaks_is_framed_when_its_line_ends(server):
    """The server frames again only when a read may change the answer; a
    request sent a few bytes at a time still gets the same bytes."""
    data = build("GET", "/books/2", "Accept: text/csv", "Connection: close")
    pieces = [data[start : start + 3] for start in range(0, len(data), 3)]
    assert exchange(server[1], data, pieces=pieces, pause=0.002) == run(data).raw_response


def test_a_head_ending_in_lf_crlf_counts_as_complete_for_the_timeouts():
    """The head ends at LF, optional CR, LF (as h11 reads it): the body that
    follows gets the request timeout, not the shorter one for the head."""
    config = ServerConfig(head_timeout=0.3, request_timeout=5.0)
    head = b"POST /echo HTTP/1.1\nHost: x\nConnection: close\nContent-Length: 5\n\r\n"
    with running_server(config=config) as (host, port):
        answer = exchange(port, b"", pieces=[head + b"he", b"llo"], pause=0.6)
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert answer == run(head + b"hello").raw_response


def test_curl_waiting_for_100_continue_is_told_to_go_on(server):
    # curl waits up to --expect100-timeout for "100 Continue" before it sends the body; with
    # that wait longer than --max-time, the POST completes only if the server says go on.
    host, port = server
    body = json.dumps(
        {"title": "Dune", "author": "Frank Herbert", "year": 1965, "notes": "x" * 2000}
    )
    result = subprocess.run(
        [
            "curl", "-sS", "-v", "--max-time", "10", "--expect100-timeout", "60",
            "-H", "Expect: 100-continue", "-H", "Content-Type: application/json",
            "--data-binary", body, f"http://{host}:{port}/books",
        ],
        capture_output=True,
        text=True,
        timeout=20,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "< HTTP/1.1 100 Continue" in result.stderr
    assert "< HTTP/1.1 422 Unprocessable Content" in result.stderr  # "notes" is not a book field


def test_100_continue_comes_once_the_head_is_in_and_only_then():
    head = b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
    with (
        running_server() as (host, port),
        socket.create_connection((host, port), timeout=10) as sock,
    ):
        sock.sendall(head)
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"hello")
        final = sock.recv(65536)
        assert final.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"100 Continue" not in final  # said once per request, never with the final answer


def test_no_100_continue_when_the_body_came_with_the_head_or_the_head_is_broken(server):
    whole = build("POST", "/echo", "Expect: 100-continue", body="hello")
    assert exchange(server[1], whole) == run(whole).raw_response
    broken = b"POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
    answer = exchange(server[1], broken)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")  # no Host: refused, not continued


def test_a_client_that_waits_for_each_answer_is_not_pipelining(server):
    # The limit of 10 is on requests sent without waiting (above); one keep-alive
    # connection used request by request, as browsers and curl use it, has no such limit.
    host, port = server
    connection = http.client.HTTPConnection(host, port, timeout=10)
    statuses = []
    for number in range(25):
        connection.request("GET", f"/books/{1 + number % 6}")
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()
    assert statuses == [200] * 25
