"""One number for "the curriculum as loaded", shared by every process, bumped by `load_content`.

What depends only on the curriculum (rendered Markdown, the challenge
catalogue, the quiz topics and questions, the path's units and lessons, the
misconceptions, and page fragments made of content: accounts.templatetags.
content_cache) is kept in this process under the version it was built from.
Who bumps: each loader once its transaction commits, and any save or delete
of a content model's row (content_models_watch), so an admin edit shows too.
A bump makes every entry of the old version unreachable at once, in every
process, without deleting anything: the next request reads the new number and
builds afresh.

The number lives in the default cache. In production that is Redis, so every
web and sandbox process sees the same number and a bump reaches them all on
their next request. (The local-memory cache of development is one process's
own, so a `load_content` run beside a running dev server is seen after a
restart.) A missing number (a cleared or evicted cache) is started from the
clock, never from 1, so it can never come back to a value an old entry was
built under.

A request reads the number once, on first use, and keeps it until the request
ends, so one page is built from one version. Outside a request (commands,
shells, tests calling a selector) it is read on every use.

Never keep a learner's own data here: only what every visitor sees alike.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

VERSION_KEY = "content-version"
# Distinct entries each process keeps per kind of content; far above what the
# curriculum holds (a few hundred questions and challenges).
MAX_ENTRIES = 4096

_request = threading.local()


def _read_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_version() -> int:
    """The current content version: read once per request, on every call outside one."""
    if not getattr(_request, "active", False):
        return _read_version()
    if _request.version is None:
        _request.version = _read_version()
    return _request.version


def content_version_wanted() -> bool:
    """True inside a request that has not read the version yet: a caller may fetch it
    in the same round trip as its own keys and hand it over with `content_version_prime`."""
    return getattr(_request, "active", False) and _request.version is None


def content_version_prime(value: int | None) -> None:
    """Keep `value` (read from the cache under VERSION_KEY) as this request's version."""
    if not content_version_wanted():
        return
    _request.version = value if value is not None else _read_version()


def content_version_bump() -> int:
    """Start a new content version everywhere; return it. Call it after the new content commits."""
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:  # no number yet: any fresh clock value is newer than every old one
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    if getattr(_request, "active", False):
        _request.version = version
    return version


class ContentMemo:
    """A bounded map from (content version, key) to what was built from that content.

    Values are shared by every request and thread of the process, so they must
    be treated as read-only.
    """

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self._entries: OrderedDict = OrderedDict()
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable[[], T]) -> T:
        """Return the value built for `key` under the current version, building it on a miss."""
        full_key = (content_version(), key)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                return self._entries[full_key]
        value = build()
        with self._lock:
            self._entries[full_key] = value
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return value


def content_version_bump_on_commit() -> None:
    """Bump now, and again once the current transaction commits (once outside a transaction).

    The bump now lets the writer's own request and tests see the change; the
    bump at commit drops what another process built from the rows before it.
    """
    content_version_bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(content_version_bump)


def _content_row_changed(sender, **kwargs) -> None:
    content_version_bump_on_commit()


def content_models_watch(*models) -> None:
    """Start a new content version whenever a row of these models is saved or deleted.

    Each app names its content models in its AppConfig.ready, so an edit made
    outside `load_content` (the admin, a shell, a test) shows at once too.
    Queryset updates send no signal: the loaders bump for those themselves.
    """
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                _content_row_changed, sender=model, dispatch_uid=f"content:{model._meta.label}"
            )


def _request_began(**kwargs) -> None:
    _request.active = True
    _request.version = None


def _request_ended(**kwargs) -> None:
    _request.active = False
    _request.version = None


request_started.connect(_request_began, dispatch_uid="content_version_request_began")
request_finished.connect(_request_ended, dispatch_uid="content_version_request_ended")
