"""The TCP sandbox's recorded exchanges, written in batches by one thread.

Writing each exchange in its own transaction made every keyed request wait
for a commit (a disk flush on PostgreSQL). Here the answer goes out at once
and its rows join a queue; one writer thread inserts everything queued in one
transaction every `interval` seconds (0.1 by default), then applies the
retention rule for each learner it wrote for. What a learner sees in the
site lags what they sent by at most that interval plus one write.

What a stop costs:
- `close()` (the server calls it on SIGTERM or Ctrl+C, after the last answer)
  writes everything queued before it returns: nothing is lost;
- a SIGKILL or a power cut loses what was still queued: at most the last
  `interval` seconds of answers, plus a write under way (about 0.2 s in all at
  the default, measured by `make bench` and tested in tests/challenges/test_tcp_stops.py).

A failed write (the database restarting, say) is retried with the next batch;
rows pile up to `max_queued`, past which the oldest are dropped and logged,
so a database outage cannot grow the sandbox's memory without bound.
"""

import logging
import threading
import time
from collections import Counter

from django.db import close_old_connections, connection, transaction

from challenges.models import RecordedExchange
from challenges.retention import prune_after_writes
from challenges.services import EXCHANGE_FIELDS

log = logging.getLogger(__name__)


class ExchangeRecorder:
    def __init__(self, *, interval: float = 0.1, max_queued: int = 100_000):
        self.interval = interval
        self.max_queued = max_queued
        self.written = 0
        self.dropped = 0
        self._queue: list[tuple] = []
        self._wanted = 0  # flush() callers waiting: write without waiting out the interval
        self._first_at: float | None = None
        self._done_through = 0  # rows handed to add() and since written (or dropped)
        self._added = 0
        self._closing = False
        self._lock = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="sandbox-recorder", daemon=True)
        self._thread.start()

    def add(self, rows: list[tuple]) -> list:
        """Queue `rows` (tuples of EXCHANGE_FIELDS) for the next batch; never blocks on the
        database. Returns the rows saved now: none."""
        if not rows:
            return []
        with self._lock:
            if self._closing:
                raise RuntimeError("the recorder is closed")
            first = self._first_at is None
            if first:
                self._first_at = time.monotonic()
            self._queue.extend(rows)
            self._added += len(rows)
            overflow = len(self._queue) - self.max_queued
            if overflow > 0:
                del self._queue[:overflow]
                self.dropped += overflow
                self._done_through += overflow
                log.error(
                    "sandbox recorder dropped %d exchanges: the database is not keeping up",
                    overflow,
                )
            if first:  # the writer then sleeps until the batch is due: later rows need not wake it
                self._lock.notify_all()
        return []

    def flush(self, timeout: float = 30) -> None:
        """Return once every row added before the call is written."""
        with self._lock:
            target = self._added
            self._wanted += 1
            self._lock.notify_all()
            try:
                if not self._lock.wait_for(lambda: self._done_through >= target, timeout):
                    raise TimeoutError(f"the recorder did not write its rows within {timeout} s")
            finally:
                self._wanted -= 1

    def close(self, timeout: float = 30) -> None:
        """Write everything queued, then stop the writer thread."""
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"the recorder did not finish writing within {timeout} s")

    def _next_batch(self) -> list[tuple] | None:
        """Wait for a batch to be due and take it; None once closed and empty."""
        with self._lock:
            while True:
                if self._queue:
                    due = self._first_at + self.interval
                    wait = due - time.monotonic()
                    if wait <= 0 or self._wanted or self._closing:
                        batch, self._queue, self._first_at = self._queue, [], None
                        return batch
                    self._lock.wait(wait)
                elif self._closing:
                    return None
                else:
                    self._lock.wait()

    def _run(self) -> None:
        pending: list[tuple] = []
        while True:
            batch = self._next_batch()
            if batch is None and not pending:
                connection.close()
                return
            pending.extend(batch or [])
            overflow = len(pending) - self.max_queued
            if overflow > 0:  # still failing to write: keep the newest, as add() does
                del pending[:overflow]
                self._finished(overflow, dropped=True)
                log.error("sandbox recorder dropped %d exchanges it could not write", overflow)
            try:
                close_old_connections()
                with transaction.atomic():
                    _insert(pending)
            except Exception:
                log.exception("sandbox recorder could not write %d exchanges", len(pending))
                if batch is None:  # closing, and the database still refuses: give up
                    self._finished(len(pending), dropped=True)
                    connection.close()
                    return
                time.sleep(min(1.0, self.interval * 5))
                continue
            self._pruned(pending)
            self._finished(len(pending))
            pending = []

    def _finished(self, count: int, *, dropped: bool = False) -> None:
        with self._lock:
            self._done_through += count
            if dropped:
                self.dropped += count
            else:
                self.written += count
            self._lock.notify_all()

    @staticmethod
    def _pruned(rows: list[tuple]) -> None:
        """Apply the retention rule for each learner written for; a failure here loses no row."""
        try:
            prune_after_writes(Counter(row[0] for row in rows))
        except Exception:
            log.exception("sandbox recorder could not apply the retention rule")
        finally:
            close_old_connections()


# PostgreSQL's types for EXCHANGE_FIELDS, for a binary COPY.
_COPY_TYPES = (
    "int8",
    "varchar",
    "bytea",
    "bytea",
    "jsonb",
    "varchar",
    "varchar",
    "int2",
    "jsonb",
    "jsonb",
    "bool",
    "timestamptz",
)


def _insert(values: list[tuple]) -> None:
    """Insert rows of EXCHANGE_FIELDS: with one binary COPY on PostgreSQL (a tenth of the
    work of an INSERT's parameters), else with bulk_create."""
    if connection.vendor != "postgresql":
        RecordedExchange.objects.bulk_create(
            [RecordedExchange(**dict(zip(EXCHANGE_FIELDS, row, strict=True))) for row in values],
            batch_size=500,
        )
        return
    table = connection.ops.quote_name(RecordedExchange._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in EXCHANGE_FIELDS)
    command = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.cursor.copy(command) as copy:
        copy.set_types(_COPY_TYPES)
        for row in values:
            copy.write_row(row)
