"""Django's side of the TCP sandbox: who is asking, and whose bookshop answers.

A learner is recognised by the host the request names: `KEY.sandbox.localhost`
(any host whose first label is a learner's sandbox key), read from an
absolute-form target when there is one (RFC 9112 §3.2.2), else from Host.
Their requests run against their own stored state and are recorded as `tcp`
exchanges, at most `TCP_REQUESTS_PER_MINUTE` a minute per key: past that the
answer is 429 with Retry-After, and nothing is run or recorded. Without a key
the connection gets a throw-away bookshop of its own, and every response says
how to use a key.
"""

import asyncio
import math
import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections

from accounts.models import BadgeAward, User
from accounts.services import activity_record, badge_award
from challenges.models import RecordedExchange
from challenges.sandbox import Outcome, fresh_state, process
from challenges.sandbox.closed_early import answered_as_closed
from challenges.sandbox.host_notes import named_host
from challenges.sandbox.render import finalize, problem_reply
from challenges.sandbox.server import ConnectionInfo, Reply
from challenges.services import sandbox_send

_KEY = re.compile(r"^k[a-z0-9]{11}$")
NO_KEY_NOTE = (
    "X-Sandbox-Note: no learner key in Host, so this answer came from a throw-away bookshop. "
    "Send Host: YOURKEY.{host} (your key is on your profile page) to use and record your own.\r\n"
)
TCP_REQUESTS_PER_MINUTE = 120
RATE_WINDOW_SECONDS = 60


def learner_key(raw_request: bytes) -> str | None:
    """Return the sandbox key in the host the request names, if there is one."""
    host = named_host(raw_request)
    if not host:
        return None
    label = host.split(".", 1)[0].split(":", 1)[0]
    return label if _KEY.match(label) else None


def learner_rate_wait(key: str, *, now: float | None = None) -> int | None:
    """Count one request for this learner key; return None if it may be answered,
    else the seconds until the current window ends (for Retry-After).

    Counted atomically: `cache.add` creates the window's counter only if it is
    missing and `cache.incr` is one INCR in Redis (a locked update in the local
    cache), so concurrent requests never read the same count."""
    now = time.time() if now is None else now
    window = int(now // RATE_WINDOW_SECONDS)
    counter = f"challenges:tcp-requests:{key}:{window}"
    for _ in range(2):
        cache.add(counter, 0, timeout=RATE_WINDOW_SECONDS + 5)
        try:
            count = cache.incr(counter)
            break
        except ValueError:  # evicted between add and incr: add it again
            continue
    else:
        return None  # the cache is failing; the connection limits still hold
    if count <= TCP_REQUESTS_PER_MINUTE:
        return None
    return max(1, math.ceil((window + 1) * RATE_WINDOW_SECONDS - now))


def too_many_requests(wait: int) -> Reply:
    """The 429 a learner key gets past its rate limit; the connection closes."""
    detail = (
        f"More than {TCP_REQUESTS_PER_MINUTE} requests in a minute came with this learner key. Like a "
        "real API, the sandbox answers 429 Too Many Requests and says in Retry-After how many seconds "
        "to wait; this request was not run or recorded."
    )
    reply = problem_reply(429, detail, headers=[("Retry-After", str(wait))])
    response = finalize(
        reply,
        head_request=False,
        now=datetime.now(UTC).replace(microsecond=0),
        replica="rate-limit",
        connection="close",
    )
    return Reply(response.raw, close=True, exchanges=1)


def _with_note(raw_response: bytes) -> bytes:
    status_line, rest = raw_response.split(b"\r\n", 1)
    note = NO_KEY_NOTE.format(host=settings.SANDBOX_PUBLIC_HOST).encode("latin-1")
    return status_line + b"\r\n" + note + rest


def _reply(outcome: Outcome, raw: bytes) -> Reply:
    return Reply(raw, close=outcome.closes_connection, exchanges=len(outcome.exchanges))


class DjangoSandboxHandler:
    """The handler the TCP server calls with each framed request's bytes."""

    def __init__(self, workers: int = 4):
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox-db")

    async def __call__(self, raw_request: bytes, connection: ConnectionInfo) -> Reply:
        key = learner_key(raw_request)
        if key is not None:
            loop = asyncio.get_running_loop()
            reply = await loop.run_in_executor(
                self.executor,
                self._answer_for_learner,
                key,
                raw_request,
                connection.served,
                connection.consumed,
                connection.client_closed,
            )
            if reply is not None:
                return reply
        state = connection.scratch.get("state") or fresh_state()
        outcome = process(
            raw_request, state, prior_requests=connection.served, prior_bytes=connection.consumed
        )
        if connection.client_closed:
            outcome = answered_as_closed(outcome)
        connection.scratch["state"] = outcome.state
        return _reply(outcome, _with_note(outcome.raw_response))

    def _answer_for_learner(
        self, key: str, raw_request: bytes, served: int, consumed: int, client_closed: bool
    ) -> Reply | None:
        """The learner's answer, a 429 past their rate limit, or None for an unknown key.
        Runs in a worker thread: the cache and the database may both be a network away."""
        wait = learner_rate_wait(key)
        if wait is not None:
            return too_many_requests(wait)
        # A worker thread keeps its database connection between requests: drop it
        # when it has gone stale, as Django does around each web request.
        close_old_connections()
        try:
            outcome = learner_send(
                key, raw_request, served=served, consumed=consumed, client_closed=client_closed
            )
        finally:
            close_old_connections()
        return None if outcome is None else _reply(outcome, outcome.raw_response)


def learner_send(
    key: str,
    raw_request: bytes,
    *,
    served: int = 0,
    consumed: int = 0,
    client_closed: bool = False,
) -> Outcome | None:
    """Answer `raw_request` from the bookshop of the learner with this key (None if no such learner)."""
    user = User.objects.filter(sandbox_key=key, is_active=True).first()
    if user is None:
        return None
    if not BadgeAward.objects.filter(user=user, badge="terminal").exists():
        badge_award(user=user, badge="terminal")
    activity_record(user=user)
    outcome, _ = sandbox_send(
        user=user,
        data=raw_request,
        source=RecordedExchange.Source.TCP,
        prior_requests=served,
        prior_bytes=consumed,
        client_closed=client_closed,
    )
    return outcome
