"""Django's side of the TCP sandbox: who is asking, and whose bookshop answers.

A learner is recognised by the host the request names: `KEY.sandbox.localhost`
(any host whose first label is a learner's sandbox key), read from an
absolute-form target when there is one (RFC 9112 §3.2.2), else from Host.
Their requests run against their own stored state and are recorded as `tcp`
exchanges, at most `TCP_REQUESTS_PER_MINUTE` a minute per key: past that the
answer is 429 with Retry-After, and nothing is run or recorded. Without a key
the connection gets a throw-away bookshop of its own, and every response says
how to use a key.

Class scale: a keyed GET from a learner this process has just read costs one
share of a batched trip to the cache and no database query (see
DjangoSandboxHandler); exchanges are recorded in batches (challenges.tcp_recorder).
"""

import asyncio
import contextlib
import math
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from django.conf import settings
from django.db import close_old_connections, connections

from accounts.learner_marks import learner_mark_read
from challenges.models import RecordedExchange
from challenges.sandbox import Outcome, fresh_state, process
from challenges.sandbox.closed_early import answered_as_closed
from challenges.sandbox.host_notes import named_host
from challenges.sandbox.render import finalize, problem_reply
from challenges.sandbox.server import ConnectionInfo, Reply
from challenges.services import exchange_values, sandbox_answer, sandbox_send
from challenges.tcp_gate import Gate, RequestGate, gates_read
from challenges.tcp_learners import LearnerReading, LearnerReadings, learner_read
from challenges.tcp_recorder import ExchangeRecorder

_KEY = re.compile(r"^k[a-z0-9]{11}$")
NO_KEY_NOTE = (
    "X-Sandbox-Note: no learner key in Host, so this answer came from a throw-away bookshop. "
    "Send Host: YOURKEY.{host} (your key is on your profile page) to use and record your own.\r\n"
)
TCP_REQUESTS_PER_MINUTE = settings.SANDBOX_KEY_REQUESTS_PER_MINUTE
TCP = RecordedExchange.Source.TCP
# At most this much of the record may be unwritten when an answer goes out (see
# DjangoSandboxHandler._recorder_caught_up): the bound on what a SIGKILL loses.
RECORD_LAG_SECONDS = 0.15


def learner_key(raw_request: bytes) -> str | None:
    """Return the sandbox key in the host the request names, if there is one."""
    host = named_host(raw_request)
    if not host:
        return None
    label = host.split(".", 1)[0].split(":", 1)[0]
    return label if _KEY.match(label) else None


def learner_rate_wait(key: str, *, now: float | None = None) -> int | None:
    """Count one request for this learner key; return None if it may be answered,
    else the seconds until the current window ends (for Retry-After).

    Counted atomically (one INCR in Redis, a locked update in the local cache),
    so concurrent requests never read the same count."""
    now = time.time() if now is None else now
    return _rate_wait(gates_read([key], now=now)[0], now)


def _rate_wait(gate: Gate, now: float) -> int | None:
    if gate.count <= TCP_REQUESTS_PER_MINUTE:
        return None  # also when the cache failed (count 0): the connection limits still hold
    return max(1, math.ceil(gate.window_ends - now))


def too_many_requests(wait: int) -> Reply:
    """The 429 a learner key gets past its rate limit; the connection closes."""
    detail = (
        f"More than {TCP_REQUESTS_PER_MINUTE} requests in a minute came with this learner key. Like a "
        "real API, the sandbox answers 429 Too Many Requests and says in Retry-After how many seconds "
        "to wait; this request was not run or recorded."
    )
    reply = problem_reply(429, detail, headers=[("Retry-After", str(wait))])
    response = finalize(
        reply,
        head_request=False,
        now=datetime.now(UTC).replace(microsecond=0),
        replica="rate-limit",
        connection="close",
    )
    return Reply(response.raw, close=True, exchanges=1)


def _with_note(raw_response: bytes) -> bytes:
    status_line, rest = raw_response.split(b"\r\n", 1)
    note = NO_KEY_NOTE.format(host=settings.SANDBOX_PUBLIC_HOST).encode("latin-1")
    return status_line + b"\r\n" + note + rest


def _reply(outcome: Outcome, raw: bytes) -> Reply:
    return Reply(raw, close=outcome.closes_connection, exchanges=len(outcome.exchanges))


class DjangoSandboxHandler:
    """The handler the TCP server calls with each framed request's bytes.

    A keyed request asks the gate (one batched trip to the cache) for its rate
    count and the learner's mark. When this process holds a current reading of
    the learner (challenges.tcp_learners) and the request changes nothing, it
    is answered here in the event loop and its exchange queued for the
    batching recorder: no database at all. Otherwise a worker thread reads the
    learner, or writes their bookshop under its version check.
    """

    def __init__(self, workers: int = 4, *, record_interval: float | None = None, writer=None):
        """`writer` writes the recorder's batches (challenges.tcp_writer; the server passes
        a ProcessWriter, tests the default, which writes in the recorder's thread)."""
        if record_interval is None:
            record_interval = settings.SANDBOX_RECORD_INTERVAL_MS / 1000
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox-db")
        self.gate = RequestGate()
        self.readings = LearnerReadings()
        self.recorder = ExchangeRecorder(interval=record_interval, writer=writer)
        self.answered_from_reading = 0

    async def __call__(self, raw_request: bytes, connection: ConnectionInfo) -> Reply:
        key = learner_key(raw_request)
        if key is not None:
            reply = await self._answer_for_learner(key, raw_request, connection)
            if reply is not None:
                return reply
        state = connection.scratch.get("state") or fresh_state()
        outcome = process(
            raw_request, state, prior_requests=connection.served, prior_bytes=connection.consumed
        )
        if connection.client_closed:
            outcome = answered_as_closed(outcome)
        connection.scratch["state"] = outcome.state
        return _reply(outcome, _with_note(outcome.raw_response))

    async def _answer_for_learner(
        self, key: str, raw_request: bytes, connection: ConnectionInfo
    ) -> Reply | None:
        """The learner's answer, a 429 past their rate limit, or None for an unknown key."""
        gate = await self.gate.check(key)
        wait = _rate_wait(gate, time.time())
        if wait is not None:
            return too_many_requests(wait)
        now = datetime.now(UTC)
        reading = self.readings.get(key)
        if reading is not None and reading.current(gate.mark, now):
            outcome = self._answer(raw_request, reading.state, connection, now)
            if outcome.state is reading.state:  # read-only: nothing to write but the record
                self.answered_from_reading += 1
                self.recorder.add(
                    exchange_values(user_id=reading.user.pk, outcome=outcome, source=TCP)
                )
                await self._recorder_caught_up()
                return _reply(outcome, outcome.raw_response)
        else:
            reading = None
        loop = asyncio.get_running_loop()
        outcome, fresh = await loop.run_in_executor(
            self.executor,
            self._answer_from_database,
            key,
            gate.mark,
            reading,
            raw_request,
            connection.served,
            connection.consumed,
            connection.client_closed,
        )
        self.readings.put(key, fresh)
        if outcome is None:
            return None
        await self._recorder_caught_up()
        return _reply(outcome, outcome.raw_response)

    async def _recorder_caught_up(self) -> None:
        """Hold an answer while the recorder is more than RECORD_LAG_SECONDS behind, so that
        the answers a SIGKILL can take away from the record are only the last few sent:
        when the database cannot keep up, the sandbox slows down instead."""
        while self.recorder.lag() > RECORD_LAG_SECONDS:
            await asyncio.sleep(0.02)

    @staticmethod
    def _answer(raw: bytes, state: dict, connection: ConnectionInfo, now: datetime) -> Outcome:
        return sandbox_answer(
            raw,
            state,
            now=now,
            prior_requests=connection.served,
            prior_bytes=connection.consumed,
            client_closed=connection.client_closed,
        )

    def _answer_from_database(
        self,
        key: str,
        mark: str | None,
        reading: LearnerReading | None,
        raw_request: bytes,
        served: int,
        consumed: int,
        client_closed: bool,
    ) -> tuple[Outcome | None, LearnerReading | None]:
        """Answer in a worker thread: read the learner (unless `reading` is current), then
        answer from it or, for a request that writes, write under the version check.
        Returns the outcome (None for an unknown key) and the reading to keep (None: none)."""
        close_old_connections()  # a worker thread keeps its connection: drop it when stale
        try:
            now = datetime.now(UTC)
            if reading is None:
                reading = learner_read(key, mark, now)
                if reading is None:
                    return None, None
                outcome = sandbox_answer(
                    raw_request,
                    reading.state,
                    now=now,
                    prior_requests=served,
                    prior_bytes=consumed,
                    client_closed=client_closed,
                )
                if outcome.state is reading.state:
                    self.recorder.add(
                        exchange_values(user_id=reading.user.pk, outcome=outcome, source=TCP)
                    )
                    return outcome, reading
            outcome = _learner_write(
                reading, raw_request, now, served, consumed, client_closed, self.recorder.add
            )
            return outcome, None  # the write renewed the mark: the next request reads again
        finally:
            close_old_connections()

    def close(self) -> None:
        """Finish the requests under way, then write every queued record (the server is stopping)."""
        # One task per worker thread, held at a barrier so that each runs in its own thread:
        # each closes its thread's database connection.
        workers = self.executor._max_workers
        barrier = threading.Barrier(workers)

        def close_own_connections() -> None:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            connections.close_all()

        for _ in range(workers):
            self.executor.submit(close_own_connections)
        self.executor.shutdown(wait=True)
        self.gate.close()
        self.recorder.close()


def learner_send(
    key: str,
    raw_request: bytes,
    *,
    served: int = 0,
    consumed: int = 0,
    client_closed: bool = False,
) -> Outcome | None:
    """Answer `raw_request` from the bookshop of the learner with this key (None if no such
    learner), recording the exchange at once: the path without the TCP server's caches."""
    now = datetime.now(UTC)
    reading = learner_read(key, learner_mark_read(key), now)
    if reading is None:
        return None
    return _learner_write(reading, raw_request, now, served, consumed, client_closed, None)


def _learner_write(reading, raw_request, now, served, consumed, client_closed, store) -> Outcome:
    """Answer and record a request under the state's version check (it may write)."""
    outcome, _ = sandbox_send(
        user=reading.user,
        data=raw_request,
        source=TCP,
        now=now,
        prior_requests=served,
        prior_bytes=consumed,
        client_closed=client_closed,
        store=store,
    )
    return outcome
