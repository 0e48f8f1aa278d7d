"""A badge for each unit of the path, and one for the whole course.

accounts cannot import curriculum, so the unit badges are a badge family
(accounts.badges.badge_family_register) built from the active units, once per
content version. A unit's badge is `unit-<unit slug>`: slugs are stable, so an
award survives renumbering; a unit taken out of the content keeps its awards
in the database but is no longer listed.

Exactly-once is the database's (BadgeAward is unique per learner and badge),
so a repeated signal, or two units finishing at once, cannot pay twice.
"""

from django.dispatch import receiver

from accounts.badges import Badge
from accounts.content_version import ContentMemo
from accounts.models import User
from accounts.services import badge_award
from curriculum.models import Unit, UnitProgress
from curriculum.signals import unit_completed

COURSE_BADGE = "course-complete"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"  # the unit's number as its symbol, up to 20 units
_memo = ContentMemo(max_entries=4)


def unit_badge_slug(unit: Unit) -> str:
    return f"unit-{unit.slug}"


def _unit_badge(unit: Unit) -> Badge:
    symbol = _CIRCLED[unit.number - 1] if 1 <= unit.number <= len(_CIRCLED) else "◆"
    return Badge(
        unit_badge_slug(unit),
        f"Unit {unit.number}: {unit.title}",
        symbol,
        f"Complete unit {unit.number} of the path: its lesson and checkpoint, or a placement check.",
    )


def _build() -> tuple[Badge, ...]:
    units = Unit.objects.filter(is_active=True).order_by("number")
    badges = [_unit_badge(unit) for unit in units]
    if badges:
        badges.append(
            Badge(COURSE_BADGE, "Course complete", "⚑", "Complete every unit of the path.")
        )
    return tuple(badges)


def path_badges() -> tuple[Badge, ...]:
    """The family accounts lists: one badge per active unit in path order, then the course's."""
    return _memo.get_or_build("path", _build)


def placement_notes(user: User) -> dict[str, str]:
    """badge slug -> how it was earned, for the unit badges a placement check gave."""
    units = UnitProgress.objects.filter(
        user=user, completed_via=UnitProgress.Via.PLACEMENT, completed_at__isnull=False
    ).values_list("unit__slug", flat=True)
    return {f"unit-{slug}": "by the placement check" for slug in units}


@receiver(unit_completed, dispatch_uid="curriculum.badges.unit_completed")
def unit_badge_award(sender, *, user: User, unit: Unit, via: str = "path", **kwargs) -> None:
    """Give the unit's badge; give the course's too once every active unit is complete."""
    badge_award(user=user, badge=unit_badge_slug(unit))
    active = Unit.objects.filter(is_active=True)
    # This unit counts whether or not the sender has saved its completed_at yet.
    others_done = (
        UnitProgress.objects.filter(user=user, unit__in=active, completed_at__isnull=False)
        .exclude(unit=unit)
        .count()
    )
    if unit.is_active and others_done + 1 == active.count():
        badge_award(user=user, badge=COURSE_BADGE)
