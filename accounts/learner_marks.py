"""A mark per sandbox key that changes whenever what the TCP sandbox keeps about the learner changes.

The TCP sandbox answers a learner's GETs from what it already read (who the
key belongs to, their bookshop, whether today already counts as active, the
badge it awards), so that a keep-alive connection does not ask the database
the same questions on every request. It may do so only while that reading is
current. So every writer of those facts renews the learner's mark once its
transaction has committed, and every reader fetches the mark before it reads
the database: a cached reading is used only while the mark is the one fetched
before it was read. A writer that commits after a reader fetched the mark has
changed the mark too, so the next request reads again; the worst case is one
read too many, never a stale answer after a write was acknowledged.

The mark lives where every process can see it: in Redis when the site uses it
(written with the raw client, so the TCP sandbox can batch its reads in one
round trip), else in Django's cache, which is then local to one process, as
the site is without Redis.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

MARK_SECONDS = 24 * 60 * 60  # an unused mark lapses; a lapsed mark is simply renewed


def mark_name(sandbox_key: str) -> str:
    """The cache key of a learner's mark (prefixed like every key of the site's cache)."""
    return cache.make_key(f"sandbox:mark:{sandbox_key}")


def redis_client():
    """The raw Redis client behind the site's cache, or None when the cache is not Redis."""
    if "django_redis" not in settings.CACHES["default"]["BACKEND"]:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def learner_mark_renew(sandbox_key: str) -> None:
    """Give the learner a new mark once the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: _renew(sandbox_key))


def _renew(sandbox_key: str) -> None:
    mark = secrets.token_hex(8)
    client = redis_client()
    if client is None:
        cache.set(mark_name(sandbox_key), mark, MARK_SECONDS)
    else:
        client.set(mark_name(sandbox_key), mark, ex=MARK_SECONDS)


def learner_mark_read(sandbox_key: str) -> str:
    """The learner's current mark, made now if there is none (for one-off readers and tests)."""
    name = mark_name(sandbox_key)
    client = redis_client()
    if client is None:
        cache.add(name, secrets.token_hex(8), MARK_SECONDS)
        return cache.get(name)
    pipe = client.pipeline(transaction=False)
    pipe.set(name, secrets.token_hex(8), ex=MARK_SECONDS, nx=True)
    pipe.get(name)
    return pipe.execute()[1].decode()
