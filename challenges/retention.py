"""How much of a learner's sandbox traffic is kept, so no one can fill the database.

Three bounds, each cheap to apply:

- a stored exchange keeps each body to its first `STORED_BODY_BYTES` (the
  head whole), and says so (`bodies_cut`);
- each learner keeps the newest `KEEP_EXCHANGES` exchanges, and none older
  than `KEEP_DAYS` days;
- that rule is applied on write, once every `PRUNE_EVERY` rows a learner
  writes (counted in the cache), and to everyone by `manage.py prune_exchanges`.

With the TCP rate limit (challenges.tcp) this gives the ceiling printed by
`make bench`: at most KEEP_EXCHANGES + PRUNE_EVERY rows per learner, each of
at most two bodies of STORED_BODY_BYTES plus their heads.
"""

import re
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from accounts.learner_marks import redis_client
from challenges.counters import counter_bump
from challenges.models import RecordedExchange, Submission

STORED_BODY_BYTES = 16 * 1024
KEEP_EXCHANGES = 500
KEEP_DAYS = 30
PRUNE_EVERY = 100
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_LONGEST_HEAD = 24 * 1024  # more than the request line and header section limits together


def cut_raw(raw: bytes) -> tuple[bytes, bool]:
    """`raw` (a request or response) with its body cut to STORED_BODY_BYTES; the head
    is kept whole. Without an end of head, the start of the bytes is kept."""
    if len(raw) <= STORED_BODY_BYTES:
        return raw, False  # shorter than any body it could keep: nothing to look for
    end = _HEAD_END.search(raw, 0, _LONGEST_HEAD)
    keep = (end.end() if end else 0) + STORED_BODY_BYTES
    return (raw[:keep], True) if len(raw) > keep else (raw, False)


def cut_data(data: dict | None) -> tuple[dict | None, bool]:
    """A parsed request or response (as stored) with its body cut to STORED_BODY_BYTES
    of UTF-8 (an undecodable byte is stored as U+FFFD, three bytes, so count bytes)."""
    if not data or len(data.get("body", "")) * 3 <= STORED_BODY_BYTES:
        return data, False
    encoded = data["body"].encode("utf-8")
    if len(encoded) <= STORED_BODY_BYTES:
        return data, False
    body = encoded[:STORED_BODY_BYTES].decode("utf-8", "ignore")  # never half a character
    return {**data, "body": body}, True


def _written_key(user_id: int) -> str:
    return f"challenges:exchanges-written:{user_id}"


def prune_after_write(*, user_id: int, written: int) -> int:
    """Prune the learner's exchanges when their count of rows written passes a
    multiple of PRUNE_EVERY; return how many rows were deleted."""
    total = counter_bump(_written_key(user_id), by=written, timeout=None)
    if total // PRUNE_EVERY == (total - written) // PRUNE_EVERY:
        return 0
    return exchanges_prune(user_id=user_id)


def prunes_due(written: dict[int, int]) -> list[int]:
    """Count rows written for several learners (user id: rows) at once, in one round trip to
    Redis; return the learners whose count passed a multiple of PRUNE_EVERY."""
    client = redis_client()
    if client is None:
        totals = [
            counter_bump(_written_key(user_id), by=count, timeout=None)
            for user_id, count in written.items()
        ]
    else:
        pipe = client.pipeline(transaction=False)
        for user_id, count in written.items():
            # The same counter as prune_after_write's (django-redis keeps whole numbers raw).
            pipe.incrby(cache.make_key(_written_key(user_id)), count)
        totals = pipe.execute()
    return [
        user_id
        for (user_id, count), total in zip(written.items(), totals, strict=True)
        if total // PRUNE_EVERY != (total - count) // PRUNE_EVERY
    ]


def exchanges_prune(*, user_id: int, now=None) -> int:
    """Delete the learner's exchanges beyond the newest KEEP_EXCHANGES or older than
    KEEP_DAYS; return how many were deleted."""
    rows = RecordedExchange.objects.filter(user_id=user_id)
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    stale = Q(created_at__lt=cutoff)
    newest_dropped = list(
        rows.order_by("-pk").values_list("pk", flat=True)[KEEP_EXCHANGES : KEEP_EXCHANGES + 1]
    )
    if newest_dropped:
        stale |= Q(pk__lte=newest_dropped[0])
    # Two plain DELETEs. QuerySet.delete() would first load every stale row (bodies and
    # JSON) to find the Submission links to remove, which made pruning the costliest
    # part of recording; the links are removed by a query of their own instead.
    stale_rows = rows.filter(stale)
    Submission.exchanges.through.objects.filter(recordedexchange__in=stale_rows).delete()
    return stale_rows._raw_delete(stale_rows.db)


def exchanges_prune_all(*, now=None) -> int:
    """Apply the retention rule to every learner; return how many rows were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    users = set(
        RecordedExchange.objects.filter(created_at__lt=cutoff).values_list("user_id", flat=True)
    )
    users |= set(
        RecordedExchange.objects.values("user_id")
        .annotate(count=Count("id"))
        .filter(count__gt=KEEP_EXCHANGES)
        .values_list("user_id", flat=True)
    )
    return sum(exchanges_prune(user_id=user_id, now=now) for user_id in sorted(users))
