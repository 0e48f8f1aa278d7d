"""Writes around the sandbox: run a learner's bytes against their own state, record the exchanges.

The sandbox itself (challenges.sandbox) is pure: bytes and a state dict in,
responses and a new state out. This module adds the two things it cannot do:
keep each learner's state in the database without losing concurrent updates,
and record what was exchanged.
"""

from django.db import transaction

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
) -> tuple[Outcome, list[RecordedExchange]]:
    """Run `data` through the sandbox against the learner's state; return the outcome and the rows recorded.

    The state is read, processed and written back under a version check; if
    another request wrote in between, the whole run is repeated on the newer
    state, so no update is ever lost. The TCP server passes `prior_requests`
    and `prior_bytes` (what its connection already consumed), and
    `client_closed` when the client closed its side right after `data`.
    """
    for _ in range(MAX_WRITE_ATTEMPTS):
        with transaction.atomic():
            row = SandboxState.objects.select_for_update().filter(user=user).first()
            if row is None:  # the learner's first request: a fresh bookshop
                row = sandbox_state_for(user)
            outcome = process(
                data,
                row.data,
                now=now,
                replica=replica,
                prior_requests=prior_requests,
                prior_bytes=prior_bytes,
            )
            if client_closed:
                outcome = answered_as_closed(outcome)
            outcome = with_host_notes(outcome, data)
            # process() hands back the very dict it was given when nothing changed
            # (only read-only handlers ran): then there is nothing to write.
            unchanged = outcome.state is row.data
            written = unchanged or SandboxState.objects.filter(
                pk=row.pk, version=row.version
            ).update(data=outcome.state, version=row.version + 1)
            if written:
                return outcome, _record(user=user, outcome=outcome, source=source)
    raise RuntimeError(
        f"Could not save the sandbox state of user {user.pk} after {MAX_WRITE_ATTEMPTS} attempts."
    )


def _record(*, user: User, outcome: Outcome, source: str) -> list[RecordedExchange]:
    """Store the exchanges, bodies cut to their stored limit, and apply the
    retention rule now and then (see challenges.retention)."""
    rows = []
    for exchange in outcome.exchanges:
        request = exchange.request
        raw_request, request_cut = cut_raw(exchange.raw_request)
        raw_response, response_cut = cut_raw(exchange.response.raw)
        request_data, request_data_cut = cut_data(request.to_dict() if request else None)
        response_data, response_data_cut = cut_data(exchange.response.to_dict())
        rows.append(
            RecordedExchange(
                user=user,
                source=source,
                raw_request=raw_request,
                raw_response=raw_response,
                diagnostics=[diagnostic.to_dict() for diagnostic in exchange.diagnostics],
                method=request.method[:32] if request else "",
                target=request.target[:300] if request else "",
                status=exchange.response.status,
                request_data=request_data,
                response_data=response_data,
                bodies_cut=request_cut or response_cut or request_data_cut or response_data_cut,
            )
        )
    if not rows:
        return []
    rows = RecordedExchange.objects.bulk_create(rows)
    prune_after_write(user_id=user.pk, written=len(rows))
    return rows


@transaction.atomic
def sandbox_reset(*, user: User) -> SandboxState:
    """Give the learner a fresh bookshop (their recorded exchanges stay)."""
    state = sandbox_state_for(user)
    SandboxState.objects.filter(pk=state.pk).update(data=fresh_state(), version=state.version + 1)
    state.refresh_from_db()
    return state
