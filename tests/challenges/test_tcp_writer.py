"""Writing the TCP sandbox's batches: rows land, and the retention rule follows them."""

import pytest
from django.core.cache import cache

from challenges import retention
from challenges.models import RecordedExchange
from challenges.sandbox import fresh_state
from challenges.services import exchange_values, sandbox_answer
from challenges.tcp_writer import Pruner, exchanges_write
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
GET = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"


def _rows(user, count: int) -> list[tuple]:
    outcome = sandbox_answer(GET, fresh_state())
    return exchange_values(user_id=user.pk, outcome=outcome, source="tcp") * count


@pytest.fixture(autouse=True)
def small_retention(monkeypatch):
    cache.clear()
    monkeypatch.setattr(retention, "KEEP_EXCHANGES", 10)
    monkeypatch.setattr(retention, "PRUNE_EVERY", 20)


def test_a_batch_is_written_and_pruned_when_a_learner_comes_due():
    learner, other = UserFactory(), UserFactory()
    exchanges_write(_rows(learner, 19) + _rows(other, 3))
    assert RecordedExchange.objects.filter(user=learner).count() == 19  # not due yet
    exchanges_write(_rows(learner, 1))  # the 20th row written: due
    assert RecordedExchange.objects.filter(user=learner).count() == 10
    assert RecordedExchange.objects.filter(user=other).count() == 3


def test_the_writer_process_hands_due_learners_to_its_pruner():
    learner = UserFactory()
    pruner_calls = []
    exchanges_write(_rows(learner, 25), prune=pruner_calls.append)
    assert pruner_calls == [[learner.pk]]
    assert RecordedExchange.objects.filter(user=learner).count() == 25  # not pruned inline


def test_the_pruner_applies_the_rule_in_its_own_thread():
    learner = UserFactory()
    exchanges_write(_rows(learner, 15), prune=lambda due: None)
    pruner = Pruner()
    pruner([learner.pk])
    pruner.close()  # prunes who is due before it stops
    assert RecordedExchange.objects.filter(user=learner).count() == 10
