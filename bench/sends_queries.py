"""Queries, Redis round trips and CPU of one editor send, counted in process (bench.sends).

The send goes through Django's test client and the whole middleware stack, on
the bench's database, outside any transaction as under gunicorn: a rolled-back
probe would never run what waits for its commit (the day's activity mark) and
so count a query production does not make. The probe learner and the rows it
grew are deleted afterwards. tests/challenges/test_send_queries.py runs the
same count on the test database.
"""

import base64
import secrets
import statistics
import time

CHALLENGE = "anatomy-first-request"
SOLUTION = "GET /books HTTP/1.1\nHost: sandbox.localhost\n\n"
GROWTH = 10_000


def form_fields(csrf: str) -> dict:
    crlf = SOLUTION.replace("\n", "\r\n")  # what a browser posts from a textarea
    fields = {"request": crlf, "raw_b64": base64.b64encode(SOLUTION.encode()).decode()}
    fields["line_endings"] = "crlf"
    return {"csrfmiddlewaretoken": csrf, **fields} if csrf else fields


class _RedisTrips:
    """Counts commands sent to Redis (a pipeline is one trip), while active."""

    def __enter__(self):
        from redis.connection import Connection

        self.count, self._original = 0, Connection.send_packed_command

        def counted(connection, *args, **kwargs):
            self.count += 1
            return self._original(connection, *args, **kwargs)

        Connection.send_packed_command = counted
        return self

    def __exit__(self, *exc):
        from redis.connection import Connection

        Connection.send_packed_command = self._original


def _send_in_process(client) -> tuple[int, int, float]:
    """(queries, Redis trips, CPU ms) of one htmx send through the whole middleware stack."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/challenges/{CHALLENGE}/send/"
    with CaptureQueriesContext(connection) as queries, _RedisTrips() as trips:
        started = time.process_time()
        response = client.post(
            path,
            form_fields(""),
            secure=True,
            headers={"HX-Request": "true", "HX-Target": "result"},
        )
        cpu = time.process_time() - started
    if response.status_code != 200 or b"verdict-right" not in response.content:
        raise RuntimeError(f"the in-process send answered {response.status_code}, not a pass")
    return len(queries), trips.count, cpu * 1000


def grow_rows(*, learner, count: int, tag: str) -> None:
    """`count` more rows of each kind a send reads or writes beside: the learner's exchanges,
    submissions on the challenge, XP awards and active days, and other learners' progress."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import ActivityDay, XpAward
    from challenges.models import Challenge, ChallengeProgress, RecordedExchange, Submission

    now = timezone.now()
    challenge = Challenge.objects.get(slug=CHALLENGE)
    exchanges = RecordedExchange.objects.bulk_create(
        RecordedExchange(
            user=learner,
            source="editor",
            raw_request=b"GET /books HTTP/1.1\r\n\r\n",
            raw_response=b"HTTP/1.1 200 OK\r\n\r\n",
            diagnostics=[],
            status=200,
        )
        for _ in range(count)
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            user=learner,
            challenge=challenge,
            step=0,
            source="editor",
            raw_request=b"GET /books HTTP/1.1\r\n\r\n",
            results=[],
            passed=n % 2 != count % 2,
        )
        for n in range(count)
    )  # fmt: skip  (half of them passed, the newest too, as the learner's own last send did)
    Submission.exchanges.through.objects.bulk_create(
        Submission.exchanges.through(submission=s, recordedexchange=e)
        for s, e in zip(submissions, exchanges, strict=True)
    )
    XpAward.objects.bulk_create(
        XpAward(user=learner, source=f"grow:{tag}:{n}", points=1, awarded_at=now)
        for n in range(count)
    )
    ActivityDay.objects.bulk_create(
        ActivityDay(user=learner, day=(now - timedelta(days=n + 2)).date()) for n in range(count)
    )
    User = get_user_model()
    others = User.objects.bulk_create(
        User(username=f"grow-{tag}-{n}", email=f"grow-{tag}-{n}@example.invalid", password="!")
        for n in range(count)
    )
    ChallengeProgress.objects.bulk_create(
        ChallengeProgress(user=other, challenge=challenge, status="solved") for other in others
    )


def query_counts(growth: int = GROWTH) -> dict:
    """Queries, Redis trips and CPU ms of a send: a new learner's first (the solve), then a
    steady send (practice), then a steady send after `growth` more rows.

    Outside any transaction, as under gunicorn (what waits for a commit, such as the
    day's activity mark, happens); the probe learner and the rows it grew are deleted after.
    """
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    tag = secrets.token_hex(3)
    learner = User.objects.create(username=f"probe-{tag}", email="probe@example.invalid")
    try:
        client = Client()
        client.force_login(learner)
        client.get(f"/challenges/{CHALLENGE}/", secure=True)
        solve = _send_in_process(client)
        _send_in_process(client)  # warm: templates, content caches
        steady = [_send_in_process(client) for _ in range(5)]
        grow_rows(learner=learner, count=growth, tag=tag)
        grown = _send_in_process(client)
    finally:
        User.objects.filter(username__startswith=f"grow-{tag}-").delete()
        learner.delete()
    return {
        "solve": solve,
        "steady": steady[-1],
        "grown": grown,
        "cpu_ms": statistics.median(cpu for _, _, cpu in steady),
    }
