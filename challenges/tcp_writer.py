"""Writing a batch of recorded exchanges: one COPY, then the retention rule.

`ThreadWriter` writes in the calling thread. `ProcessWriter` hands each batch
to a process of its own and waits for it to say the batch is written: the
TCP sandbox uses it on PostgreSQL, because writing costs Python work (about a
third of a keyed request's), and in the sandbox's process that work would
hold the GIL against the event loop. An I/O-bound loop thread beside a
CPU-bound one waits for the GIL at every socket call, which made keyed
answers stall for a hundred milliseconds at each batch.

The writer process ignores SIGINT and SIGTERM: a stop (Ctrl+C, or `kill` of
the process group) reaches the sandbox, which hands it its last batch and
then closes the pipe; the writer ends when the pipe does. So it also ends, with
every batch it was given written, when the sandbox is killed.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections import Counter

from django.db import close_old_connections, connection, transaction

from challenges.models import RecordedExchange
from challenges.retention import exchanges_prune, prunes_due
from challenges.services import EXCHANGE_FIELDS, exchange_rows
from challenges.writer_process import writer_main

log = logging.getLogger(__name__)

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


def exchanges_write(rows: list[tuple], *, prune=None) -> None:
    """Insert rows of EXCHANGE_FIELDS in one transaction, then apply the retention rule for
    each learner it is due for: now, or by handing their ids to `prune` (a failure there
    is logged: it loses no row)."""
    close_old_connections()
    with transaction.atomic():
        _insert(rows)
    try:
        due = prunes_due(Counter(row[0] for row in rows))
        if prune is not None:
            prune(due)
        else:
            for user_id in due:
                exchanges_prune(user_id=user_id)
    except Exception:
        log.exception("sandbox recorder could not apply the retention rule")
    finally:
        close_old_connections()


class Pruner:
    """Applies the retention rule in a thread of its own, one learner at a time.

    In the writer process, so that a batch in which many learners come due (a class
    sending in step does that) is not held up by their deletes: a long write would
    hold up the sandbox's answers (see challenges.tcp)."""

    def __init__(self):
        self._due: list[int] = []
        self._closing = False
        self._lock = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="sandbox-pruner", daemon=True)
        self._thread.start()

    def __call__(self, user_ids: list[int]) -> None:
        with self._lock:
            self._due.extend(user_id for user_id in user_ids if user_id not in self._due)
            self._lock.notify()

    def close(self, timeout: float = 10) -> None:
        """Prune who is still due (for up to `timeout` seconds), then stop."""
        with self._lock:
            self._closing = True
            self._lock.notify()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._due and not self._closing:
                    self._lock.wait()
                if not self._due:
                    connection.close()
                    return
                user_id = self._due.pop(0)
            try:
                exchanges_prune(user_id=user_id)
            except Exception:
                log.exception("sandbox pruner could not prune the exchanges of user %s", user_id)
            finally:
                close_old_connections()


def _insert(values: list[tuple]) -> None:
    """With one binary COPY on PostgreSQL (a tenth of the work of an INSERT's parameters),
    else with bulk_create."""
    if connection.vendor != "postgresql":
        RecordedExchange.objects.bulk_create(exchange_rows(values), batch_size=500)
        return
    table = connection.ops.quote_name(RecordedExchange._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in EXCHANGE_FIELDS)
    command = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor:
        # The commit need not wait for the disk: PostgreSQL writes its log out within a
        # fraction of a second anyway, and a stop or crash of the sandbox loses nothing
        # committed. Only a crash of PostgreSQL itself could lose that last fraction.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        with cursor.cursor.copy(command) as copy:
            copy.set_types(_COPY_TYPES)
            for row in values:
                copy.write_row(row)


class ThreadWriter:
    """Writes in the thread that calls it."""

    def write(self, rows: list[tuple]) -> None:
        exchanges_write(rows)

    def close(self) -> None:
        connection.close()


class ProcessWriter:
    """Writes in a process of its own (see the module's docstring); one batch at a time."""

    def __init__(self, *, start_timeout: float = 60):
        self.start_timeout = start_timeout
        self.starts = 0
        self._lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child_end = context.Pipe()
        self._process = context.Process(
            target=writer_main, args=(child_end,), name="sandbox-writer", daemon=True
        )
        self._process.start()
        child_end.close()
        self.starts += 1
        if not self._pipe.poll(self.start_timeout) or self._pipe.recv() != "ready":
            self._process.kill()
            raise RuntimeError("the sandbox's writer process did not start")

    def write(self, rows: list[tuple]) -> None:
        with self._lock:
            if not self._process.is_alive():  # it died (a crash, or killed on its own)
                log.error("the sandbox's writer process ended; starting another")
                self._pipe.close()
                self._start()
            self._pipe.send(rows)
            answer, detail = self._pipe.recv()
        if answer != "written":
            raise RuntimeError(
                f"the writer process could not write {len(rows)} exchanges: {detail}"
            )

    def close(self, timeout: float = 30) -> None:
        with self._lock:
            self._pipe.close()
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()


def writer_serve(pipe) -> None:
    """The writer process's loop (see challenges.writer_process): write each batch received,
    answer, end when the pipe ends."""
    pruner = Pruner()
    while True:
        try:
            rows = pipe.recv()
        except (EOFError, OSError):
            break
        try:
            exchanges_write(rows, prune=pruner)
        except Exception as error:
            log.exception("sandbox writer could not write %d exchanges", len(rows))
            answer = ("failed", repr(error))
        else:
            answer = ("written", len(rows))
        try:
            pipe.send(answer)
        except OSError:
            break  # the sandbox is gone (killed): the batch is written all the same
    pruner.close()
    connection.close()
