"""Counters in the cache that cost one round trip: create-if-missing and add, together.

Django's cache API needs `add` then `incr` (two round trips on Redis, and a
window between them where the key can expire). On Redis both commands go in
one MULTI/EXEC pipeline instead, so a bump is one round trip and atomic. Any
other cache (local memory in development and tests) takes the add/incr path.
The value is a plain integer either way, so `cache.get` reads it back.
"""

from django.core.cache import cache

from accounts.learner_marks import redis_client

__all__ = ["counter_bump"]


def counter_bump(key: str, *, by: int = 1, timeout: int | None) -> int:
    """Add `by` to the counter `key`, creating it at 0 with `timeout` (seconds, None for
    never) when it is missing; return the new count."""
    client = redis_client()
    if client is None:
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key, by)
        except ValueError:  # expired between add and incr: start again
            cache.set(key, by, timeout=timeout)
            return by
    name = cache.make_key(key)
    pipe = client.pipeline(transaction=True)
    pipe.set(name, 0, nx=True, ex=timeout)
    pipe.incrby(name, by)
    return pipe.execute()[1]
