"""Writes around the sandbox: run a learner's bytes against their own state, record the exchanges.

The sandbox itself (challenges.sandbox) is pure: bytes and a state dict in,
responses and a new state out. This module adds the two things it cannot do:
keep each learner's state in the database without losing concurrent updates,
and record what was exchanged.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from accounts.learner_marks import learner_mark_renew
from accounts.models import User
from challenges.models import RecordedExchange, SandboxState
from challenges.retention import cut_data, cut_raw, prune_after_write
from challenges.sandbox import Outcome, fresh_state, process
from challenges.sandbox.closed_early import answered_as_closed
from challenges.sandbox.host_notes import with_host_notes

MAX_WRITE_ATTEMPTS = 10


def sandbox_state_for(user: User) -> SandboxState:
    """Return the learner's sandbox state row, creating a fresh bookshop on first use."""
    state, _ = SandboxState.objects.get_or_create(user=user, defaults={"data": fresh_state()})
    return state


def sandbox_answer(
    data: bytes,
    state: dict,
    *,
    now=None,
    replica=None,
    prior_requests: int = 0,
    prior_bytes: int = 0,
    client_closed: bool = False,
) -> Outcome:
    """The sandbox's answer to a learner's bytes from `state` (not changed), as every
    learner path gives it: notes on a Host that disagrees with its target, and a
    400 for a request cut short when the client closed its side."""
    outcome = process(
        data,
        state,
        now=now,
        replica=replica,
        prior_requests=prior_requests,
        prior_bytes=prior_bytes,
    )
    if client_closed:
        outcome = answered_as_closed(outcome)
    return with_host_notes(outcome, data)


def sandbox_send(
    *,
    user: User,
    data: bytes,
    source: str,
    now=None,
    replica=None,
    prior_requests: int = 0,
    prior_bytes: int = 0,
    client_closed: bool = False,
    store: Callable[[list[tuple]], list[RecordedExchange]] | None = None,
) -> tuple[Outcome, list[RecordedExchange]]:
    """Run `data` through the sandbox against the learner's state; return the outcome and the rows recorded.

    The state is read, processed and written back under a version check; if
    another request wrote in between, the whole run is repeated on the newer
    state, so no update is ever lost. A write renews the learner's sandbox mark
    once it commits, so no cached reading of the old state is used again. The
    TCP server passes `prior_requests` and `prior_bytes` (what its connection
    already consumed), `client_closed` when the client closed its side right
    after `data`, and its batching recorder as `store` (by default the rows
    are written here, in this transaction).
    """
    for _ in range(MAX_WRITE_ATTEMPTS):
        # No savepoint inside a caller's transaction (the editor's send): an error aborts
        # that transaction anyway, and a version miss is retried without one.
        with transaction.atomic(savepoint=False):
            row = SandboxState.objects.select_for_update().filter(user=user).first()
            if row is None:  # the learner's first request: a fresh bookshop
                row = sandbox_state_for(user)
            outcome = sandbox_answer(
                data,
                row.data,
                now=now,
                replica=replica,
                prior_requests=prior_requests,
                prior_bytes=prior_bytes,
                client_closed=client_closed,
            )
            # process() hands back the very dict it was given when nothing changed
            # (only read-only handlers ran): then there is nothing to write.
            unchanged = outcome.state is row.data
            written = unchanged or SandboxState.objects.filter(
                pk=row.pk, version=row.version
            ).update(data=outcome.state, version=row.version + 1)
            if written:
                if not unchanged:
                    learner_mark_renew(user.sandbox_key)
                values = exchange_values(user_id=user.pk, outcome=outcome, source=source)
                return outcome, (store or exchanges_store)(values)
    raise RuntimeError(
        f"Could not save the sandbox state of user {user.pk} after {MAX_WRITE_ATTEMPTS} attempts."
    )


# The columns of a recorded exchange, in the order `exchange_values()` gives them.
EXCHANGE_FIELDS = (
    "user_id",
    "source",
    "raw_request",
    "raw_response",
    "diagnostics",
    "method",
    "target",
    "status",
    "request_data",
    "response_data",
    "bodies_cut",
    "created_at",
)


def exchange_values(*, user_id: int, outcome: Outcome, source: str) -> list[tuple]:
    """A tuple of EXCHANGE_FIELDS per exchange of the outcome, bodies cut to their stored limit.

    Plain values, not model instances: the TCP sandbox builds them for every
    request and its recorder writes them with COPY on PostgreSQL."""
    values = []
    now = timezone.now()
    for exchange in outcome.exchanges:
        request = exchange.request
        raw_request, request_cut = cut_raw(exchange.raw_request)
        raw_response, response_cut = cut_raw(exchange.response.raw)
        request_data, request_data_cut = cut_data(request.to_dict() if request else None)
        response_data, response_data_cut = cut_data(exchange.response.to_dict())
        values.append(
            (
                user_id,
                source,
                raw_request,
                raw_response,
                [diagnostic.to_dict() for diagnostic in exchange.diagnostics],
                request.method[:32] if request else "",
                request.target[:300] if request else "",
                exchange.response.status,
                request_data,
                response_data,
                request_cut or response_cut or request_data_cut or response_data_cut,
                now,
            )
        )
    return values


def exchange_rows(values: list[tuple]) -> list[RecordedExchange]:
    """Unsaved rows from tuples of EXCHANGE_FIELDS."""
    return [RecordedExchange(**dict(zip(EXCHANGE_FIELDS, each, strict=True))) for each in values]


def exchanges_store(values: list[tuple]) -> list[RecordedExchange]:
    """Save one learner's exchanges now (as `exchange_values()` gives them) and apply
    the retention rule now and then (see challenges.retention)."""
    if not values:
        return []
    rows = RecordedExchange.objects.bulk_create(exchange_rows(values))
    prune_after_write(user_id=rows[0].user_id, written=len(rows))
    return rows


@transaction.atomic
def sandbox_reset(*, user: User) -> SandboxState:
    """Give the learner a fresh bookshop (their recorded exchanges stay)."""
    state = sandbox_state_for(user)
    SandboxState.objects.filter(pk=state.pk).update(data=fresh_state(), version=state.version + 1)
    learner_mark_renew(user.sandbox_key)
    state.refresh_from_db()
    return state
