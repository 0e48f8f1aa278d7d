"""Cache counters bumped in one round trip (challenges.counters)."""

import pytest
from django.core.cache import cache, caches

from challenges.counters import counter_bump


def _on_redis() -> bool:
    return type(caches["default"]).__module__.startswith("django_redis")


def test_a_missing_counter_starts_at_the_first_bump():
    assert counter_bump("test-counter", timeout=60) == 1
    assert counter_bump("test-counter", by=3, timeout=60) == 4
    assert cache.get("test-counter") == 4


def test_counters_are_separate_per_key():
    counter_bump("test-counter-a", timeout=60)
    assert counter_bump("test-counter-b", by=2, timeout=None) == 2
    assert cache.get("test-counter-a") == 1


@pytest.mark.skipif(not _on_redis(), reason="needs Redis: run with REDIS_URL=redis://...")
def test_on_redis_a_bump_is_one_round_trip_and_keeps_the_first_timeout():
    from redis.connection import Connection

    counter_bump("test-counter-ttl", timeout=60)
    sent, original = [], Connection.send_packed_command
    Connection.send_packed_command = lambda self, *a, **k: sent.append(1) or original(self, *a, **k)
    try:
        assert counter_bump("test-counter-ttl", by=5, timeout=600) == 6
    finally:
        Connection.send_packed_command = original
    assert len(sent) == 1
    assert 0 < cache.ttl("test-counter-ttl") <= 60  # a later bump never extends the window


@pytest.mark.skipif(not _on_redis(), reason="needs Redis: run with REDIS_URL=redis://...")
def test_on_redis_a_counter_without_timeout_never_expires():
    counter_bump("test-counter-forever", timeout=None)
    assert cache.ttl("test-counter-forever") is None
