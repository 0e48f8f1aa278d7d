"""The lesson's try-it boxes: which box a send came from, and that the learner sent it.

The challenges app runs the request (it owns the sandbox) and then pushes the
fact in here, so curriculum never imports challenges. A box is named by its
unit's slug and its own slug; anything that names no box of an active unit's
lesson is ignored, so a stale page or a hand-made post changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from curriculum.models import Lesson, Unit, UnitProgress


@dataclass(frozen=True)
class TryBox:
    unit: Unit
    slug: str
    request: str


def unit_try_find(unit_slug: str, try_slug: str) -> TryBox | None:
    """The try-it box `try_slug` of the active unit `unit_slug`, or None if there is no such box."""
    if not unit_slug or not try_slug:
        return None
    unit = Unit.objects.filter(slug=unit_slug, is_active=True).first()
    if unit is None:
        return None
    try:
        lesson = unit.lesson
    except Lesson.DoesNotExist:
        return None
    for box in lesson.try_its:
        if box["slug"] == try_slug:
            return TryBox(unit=unit, slug=try_slug, request=box["request"])
    return None


def unit_try_record(*, user: User, box: TryBox) -> bool:
    """Add the box's slug to the learner's tries_sent for its unit, once.

    Returns True if it was new. The progress row is locked while the list is
    read and written, so two sends at once cannot drop or repeat a slug.
    """
    with transaction.atomic():
        progress, _ = UnitProgress.objects.get_or_create(user=user, unit=box.unit)
        progress = UnitProgress.objects.select_for_update().get(pk=progress.pk)
        if box.slug in progress.tries_sent:
            return False
        progress.tries_sent = [*progress.tries_sent, box.slug]
        progress.save(update_fields=["tries_sent"])
    return True
