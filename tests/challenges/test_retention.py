"""What is kept of a learner's sandbox traffic: cut bodies, the newest 500, the last 30 days."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from challenges import retention
from challenges.models import RecordedExchange
from challenges.retention import (
    KEEP_DAYS,
    KEEP_EXCHANGES,
    PRUNE_EVERY,
    STORED_BODY_BYTES,
    cut_raw,
    exchanges_prune,
)
from challenges.services import sandbox_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GET = b"GET /books/1 HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # the write counters live in the cache


def _seed(user, count: int, *, age: timedelta = timedelta(0)) -> None:
    when = timezone.now() - age
    RecordedExchange.objects.bulk_create(
        RecordedExchange(
            user=user, source="tcp", raw_request=GET, raw_response=b"", status=200, created_at=when
        )
        for _ in range(count)
    )


def test_a_long_body_is_stored_cut_and_marked():
    user = UserFactory()
    body = json.dumps({"title": "Dune", "author": "Frank Herbert", "year": 1965, "x": "y" * 30_000})
    raw = (
        f"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n{body}"
    ).encode()
    outcome, [row] = sandbox_send(user=user, data=raw, source="tcp")
    assert outcome.exchanges[0].response.status == 200  # the answer itself is whole
    row.refresh_from_db()
    assert row.bodies_cut
    head = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
    assert bytes(row.raw_request) == raw[: len(head) + STORED_BODY_BYTES]
    assert len(bytes(row.raw_response)) < len(outcome.exchanges[0].response.raw)
    assert len(row.request_data["body"]) == STORED_BODY_BYTES
    assert len(row.response_data["body"]) == STORED_BODY_BYTES
    assert row.as_exchange().request.method == "POST"  # still rebuilt for grading


def test_a_short_exchange_is_stored_whole_and_not_marked():
    outcome, [row] = sandbox_send(user=UserFactory(), data=GET, source="tcp")
    row.refresh_from_db()
    assert not row.bodies_cut
    assert bytes(row.raw_request) == GET
    assert bytes(row.raw_response) == outcome.raw_response


@pytest.mark.parametrize(
    "raw, kept",
    [
        (b"x" * (STORED_BODY_BYTES + 10), STORED_BODY_BYTES),  # no head at all: its start
        (b"H\n\n" + b"b" * (STORED_BODY_BYTES + 1), 3 + STORED_BODY_BYTES),
        (b"H\r\n\r\n" + b"b" * STORED_BODY_BYTES, 5 + STORED_BODY_BYTES),  # exactly at the limit
    ],
)
def test_cut_raw_keeps_the_head_and_the_start_of_the_body(raw, kept):
    stored, cut = cut_raw(raw)
    assert stored == raw[:kept] and cut == (len(raw) > kept)


def test_pruning_keeps_the_newest_exchanges_and_none_older_than_the_limit():
    learner, neighbour = UserFactory(), UserFactory()
    _seed(learner, 5, age=timedelta(days=KEEP_DAYS + 1))
    _seed(learner, KEEP_EXCHANGES + 7)
    _seed(neighbour, 3, age=timedelta(days=KEEP_DAYS + 1))
    newest = list(
        RecordedExchange.objects.filter(user=learner).order_by("-pk").values_list("pk", flat=True)
    )[:KEEP_EXCHANGES]
    assert exchanges_prune(user_id=learner.pk) == 12
    kept = RecordedExchange.objects.filter(user=learner)
    assert sorted(kept.values_list("pk", flat=True)) == sorted(newest)
    assert RecordedExchange.objects.filter(user=neighbour).count() == 3  # their own turn comes


def test_sending_prunes_once_every_few_rows_written(monkeypatch):
    monkeypatch.setattr(retention, "KEEP_EXCHANGES", 10)
    learner = UserFactory()
    _seed(learner, 30)
    for _ in range(PRUNE_EVERY - 1):
        sandbox_send(user=learner, data=GET, source="tcp")
    assert RecordedExchange.objects.filter(user=learner).count() == 30 + PRUNE_EVERY - 1
    sandbox_send(user=learner, data=GET, source="tcp")  # the PRUNE_EVERY-th row written
    assert RecordedExchange.objects.filter(user=learner).count() == 10


def test_prune_exchanges_command_applies_the_rule_to_everyone(capsys):
    crowded, old, quiet = UserFactory(), UserFactory(), UserFactory()
    _seed(crowded, KEEP_EXCHANGES + 4)
    _seed(old, 2, age=timedelta(days=KEEP_DAYS + 2))
    _seed(old, 1)
    _seed(quiet, 3)
    call_command("prune_exchanges")
    assert "Deleted 6 recorded exchanges." in capsys.readouterr().out
    assert RecordedExchange.objects.filter(user=crowded).count() == KEEP_EXCHANGES
    assert RecordedExchange.objects.filter(user=old).count() == 1
    assert RecordedExchange.objects.filter(user=quiet).count() == 3


def test_a_parsed_body_is_cut_by_its_utf8_bytes_not_its_characters():
    data, cut = retention.cut_data({"status": 200, "body": "\ufffd" * STORED_BODY_BYTES})
    assert cut and len(data["body"].encode("utf-8")) <= STORED_BODY_BYTES
    assert data["body"] == "\ufffd" * (STORED_BODY_BYTES // 3)
    assert retention.cut_data({"body": "é" * (STORED_BODY_BYTES // 2)}) == (
        {"body": "é" * (STORED_BODY_BYTES // 2)},
        False,
    )
