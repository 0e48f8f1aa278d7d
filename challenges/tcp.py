"""Django's side of the TCP sandbox: who is asking, and whose bookshop answers.

A learner is recognised by the Host header: `KEY.sandbox.localhost` (any host
whose first label is a learner's sandbox key). Their requests run against
their own stored state and are recorded as `tcp` exchanges. Without a key the
connection gets a throw-away bookshop of its own, and every response says how
to use a key.
"""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections

from accounts.models import BadgeAward, User
from accounts.services import activity_record, badge_award
from challenges.models import RecordedExchange
from challenges.sandbox import Outcome, fresh_state, process
from challenges.sandbox.server import ConnectionInfo, Reply
from challenges.services import sandbox_send

_HOST_LINE = re.compile(rb"^host[ \t]*:[ \t]*([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
_KEY = re.compile(r"^k[a-z0-9]{11}$")
NO_KEY_NOTE = (
    "X-Sandbox-Note: no learner key in Host, so this answer came from a throw-away bookshop. "
    "Send Host: YOURKEY.{host} (your key is on your profile page) to use and record your own.\r\n"
)


def learner_key(raw_request: bytes) -> str | None:
    """Return the sandbox key in the request's Host header, if there is one."""
    head = raw_request.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    match = _HOST_LINE.search(head)
    if not match:
        return None
    host = match.group(1).decode("latin-1").strip().lower()
    label = host.split(".", 1)[0].split(":", 1)[0]
    return label if _KEY.match(label) else None


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
            outcome = await loop.run_in_executor(
                self.executor,
                self._send_for_learner,
                key,
                raw_request,
                connection.served,
                connection.consumed,
            )
            if outcome is not None:
                return _reply(outcome, outcome.raw_response)
        state = connection.scratch.get("state") or fresh_state()
        outcome = process(
            raw_request, state, prior_requests=connection.served, prior_bytes=connection.consumed
        )
        connection.scratch["state"] = outcome.state
        return _reply(outcome, _with_note(outcome.raw_response))

    def _send_for_learner(
        self, key: str, raw_request: bytes, served: int, consumed: int
    ) -> Outcome | None:
        # A worker thread keeps its database connection between requests: drop it
        # when it has gone stale, as Django does around each web request.
        close_old_connections()
        try:
            return learner_send(key, raw_request, served=served, consumed=consumed)
        finally:
            close_old_connections()


def learner_send(
    key: str, raw_request: bytes, *, served: int = 0, consumed: int = 0
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
    )
    return outcome
