"""Writes of the path: lesson read, checkpoint scores, solves, completion and its moment.

Completion is exactly-once by a conditional UPDATE (`... WHERE completed_at IS
NULL`): of two racing callers only one updates a row, and only that one sends
curriculum.signals.unit_completed. The apps above push their facts in: quiz
calls unit_checkpoint_record / unit_placement_record when a run finishes, and
challenges calls unit_progress_note_solve on a first solve (solved state itself
is read through curriculum.registry).
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import User
from curriculum.models import Unit, UnitProgress
from curriculum.registry import challenge_facts
from curriculum.selectors import MASTERY, units_before, units_checking_challenge
from curriculum.signals import unit_completed


def _progress_for(user: User, unit: Unit) -> UnitProgress:
    """The learner's row for the unit, created on first use (a racing twin is fetched instead)."""
    row = UnitProgress.objects.filter(user=user, unit=unit).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return UnitProgress.objects.create(user=user, unit=unit)
    except IntegrityError:
        return UnitProgress.objects.get(user=user, unit=unit)


@transaction.atomic
def unit_lesson_mark_read(*, user: User, unit: Unit) -> UnitProgress:
    """Mark the unit's lesson read (the first time counts; again changes nothing)."""
    row = _progress_for(user, unit)
    UnitProgress.objects.filter(pk=row.pk, lesson_done_at__isnull=True).update(
        lesson_done_at=timezone.now()
    )
    row.refresh_from_db()
    return row


@transaction.atomic
def unit_checkpoint_record(*, user: User, unit: Unit, score: float) -> bool:
    """Record a finished checkpoint run's score (0..1); return True if it completed the unit."""
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"a checkpoint score is between 0 and 1, not {score}")
    row = _progress_for(user, unit)
    UnitProgress.objects.filter(pk=row.pk).update(
        checkpoint_attempts=F("checkpoint_attempts") + 1,
        checkpoint_best=Greatest(F("checkpoint_best"), score),
    )
    return _complete_if_mastered(user, unit)


@transaction.atomic
def unit_progress_note_solve(*, user: User, challenge_slug: str) -> list[Unit]:
    """A first solve of `challenge_slug`: complete every unit it was the last step of; return them."""
    units = units_checking_challenge(challenge_slug)
    return [unit for unit in units if _complete_if_mastered(user, unit)]


@transaction.atomic
def unit_placement_record(*, user: User, unit: Unit, score: float) -> list[Unit]:
    """A finished placement check towards `unit`: at MASTERY or above, complete every unit before it.

    Returns the units this call completed (none below MASTERY: nothing changes).
    Skipped units count as celebrated: the placement result is their moment.
    """
    if score < MASTERY:
        return []
    earlier = units_before(unit)
    return [other for other in earlier if _unit_complete(user, other, UnitProgress.Via.PLACEMENT)]


@transaction.atomic
def unit_celebrate(*, user: User, unit: Unit) -> bool:
    """Mark the unit-complete moment shown; True only for the one call that should show it."""
    return bool(
        UnitProgress.objects.filter(
            user=user, unit=unit, completed_at__isnull=False, celebrated=False
        ).update(celebrated=True)
    )


def _complete_if_mastered(user: User, unit: Unit) -> bool:
    row = UnitProgress.objects.filter(user=user, unit=unit).first()
    if row is None or row.checkpoint_best < MASTERY:
        return False
    facts = challenge_facts(user, unit.checkpoint_challenges)
    if not all(fact.solved for fact in facts.values()):
        return False
    return _unit_complete(user, unit, UnitProgress.Via.PATH)


def _unit_complete(user: User, unit: Unit, via: str) -> bool:
    """Set completed_at once and send unit_completed; False if it was already complete."""
    row = _progress_for(user, unit)
    updated = UnitProgress.objects.filter(pk=row.pk, completed_at__isnull=True).update(
        completed_at=timezone.now(),
        completed_via=via,
        celebrated=via == UnitProgress.Via.PLACEMENT,
    )
    if not updated:
        return False
    unit_completed.send(sender=Unit, user=user, unit=unit, via=via)
    return True
