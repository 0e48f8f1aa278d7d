"""One number per learner, bumped whenever what the header shows of them changes.

The header of every signed-in page shows today's XP against the daily goal and
announces new badges. Asking the database for both on every page cost two
queries a page, so the answer is kept in the shared cache (Redis in
production) under the learner's own key, beside the learner's number. A
stored answer counts only while its number is still the learner's current
one, so a bump makes it unreachable in every process at once.

Who bumps: a receiver of post_save/post_delete on XpAward and BadgeAward
(connected in AccountsConfig.ready, so the sandbox server's process bumps too),
at once and again when the write commits: a bump only before the commit would
let another page read the old rows between the bump and the commit and store
them under the new number.
Writes that skip the signals (bulk_create, queryset update or delete of those
rows) must call `learner_version_bump` themselves.

The number lives beside the entries: read together in one round trip. A
missing number (evicted, flushed) restarts from the clock, never from 1, so an
old entry can never match it again (the same rule as content_version).

Each entry is the learner's own and is read only under their id: never a
value shared between learners.
"""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from accounts.content_version import VERSION_KEY, content_version_prime, content_version_wanted

T = TypeVar("T")

# An entry unread for a day is dropped; the key also names the learner's day, so
# yesterday's entries are never read again anyway.
ENTRY_TIMEOUT = 24 * 3600


def _version_key(user_id: int) -> str:
    return f"learner-version:{user_id}"


def _entry_key(user_id: int, name: str) -> str:
    return f"learner:{user_id}:{name}"


def learner_version_bump(user_id: int) -> None:
    """Start a new number for this learner everywhere: every entry stored for them is stale."""
    try:
        cache.incr(_version_key(user_id))
    except ValueError:  # no number yet: any fresh clock value is newer than every old one
        cache.set(_version_key(user_id), time.time_ns(), timeout=None)


def learner_version_bump_on_commit(user_id: int) -> None:
    """Bump now, and again once the current transaction commits (once outside a transaction).

    The bump now keeps the writer's own transaction from reading its old entry;
    the bump at commit drops what another page stored from the rows before it.
    """
    learner_version_bump(user_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: learner_version_bump(user_id))


def learner_cached(user_id: int, name: str, build: Callable[[], T]) -> T:
    """The learner's entry `name`, built by `build()` if missing or from an older number.

    One cache round trip when the entry is fresh (it also brings the request's
    content version, if not read yet); two more (start the number, store the
    entry) when it is built.
    """
    version_key, entry_key = _version_key(user_id), _entry_key(user_id, name)
    # The request's content version comes along in the same round trip when not read yet.
    with_content = content_version_wanted()
    found = cache.get_many([version_key, entry_key, *([VERSION_KEY] if with_content else [])])
    if with_content:
        content_version_prime(found.get(VERSION_KEY))
    version = found.get(version_key)
    if version is None:
        cache.add(version_key, time.time_ns(), timeout=None)
        version = cache.get(version_key)
    entry = found.get(entry_key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    cache.set(entry_key, (version, value), timeout=ENTRY_TIMEOUT)
    return value
