"""Lint + parse + API answer per second on one core, against a bare h11 parse of the same bytes."""

import time
from datetime import UTC, datetime

import h11

from challenges.sandbox import fresh_state, process

NOW = datetime(2026, 1, 1, tzinfo=UTC)

REQUESTS = [
    b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\nAccept: application/json\r\n\r\n",
    b"GET /books?author=Jane%20Austen HTTP/1.1\r\nHost: sandbox.localhost\r\nUser-Agent: bench\r\n\r\n",
    b'GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\nIf-None-Match: "book-1-v1"\r\n\r\n',
    b"HEAD /books HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n",
    b"POST /books HTTP/1.1\r\nHost: sandbox.localhost\r\nContent-Type: application/json\r\nContent-Length: 58\r\n\r\n"
    b'{"title": "Dune", "author": "Frank Herbert", "year": 1965}',
    b"GET /nope HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n",
]


def _bare_h11(data: bytes) -> None:
    connection = h11.Connection(h11.SERVER)
    connection.receive_data(data)
    while True:
        event = connection.next_event()
        if event is h11.NEED_DATA or isinstance(event, h11.EndOfMessage):
            return


def _rate(function, seconds: float) -> float:
    """Calls per second of function(request) cycling through REQUESTS for about `seconds`."""
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for request in REQUESTS:
            function(request)
        count += len(REQUESTS)
    return count / (time.perf_counter() - start)


def run(*, quick: bool = False) -> dict:
    seconds = 1.0 if quick else 5.0
    state = fresh_state()
    # POST /books would grow the state each call; always answer from the same starting state.
    sandbox = _rate(lambda data: process(data, state, now=NOW, replica="replica-1"), seconds)
    bare = _rate(_bare_h11, seconds)
    ratio = sandbox / bare
    print("In-process (one core, one thread)")
    print(f"  sandbox lint + parse + API answer : {sandbox:10,.0f} requests/s")
    print(f"  bare h11 parse of the same bytes  : {bare:10,.0f} requests/s")
    print(f"  ratio                             : {ratio:10.2f}  (goal >= 0.50)\n")
    return {"sandbox_rps": sandbox, "h11_rps": bare, "ratio": ratio}
