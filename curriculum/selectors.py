"""Reads of the path: where a learner stands on each unit, and where to continue.

A unit's steps are, in order: 1 read the lesson, 2 pass the checkpoint quiz
(best score at least MASTERY), then one step per checkpoint challenge (solved).
A unit is complete once `completed_at` is set (curriculum.services sets it at
mastery: checkpoint passed and every challenge solved; the lesson is advice).
Unit 1 is always open; any other opens when the unit before it is complete.
Anonymous visitors see the path as a new learner would.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from accounts.content_version import ContentMemo
from curriculum.models import Unit, UnitProgress
from curriculum.registry import challenge_facts

MASTERY = 0.8


class Status:
    COMPLETE = "complete"
    CURRENT = "current"
    OPEN = "open"
    LOCKED = "locked"


@dataclass(frozen=True)
class Step:
    number: int
    kind: str  # "lesson", "checkpoint" or "challenge"
    label: str
    done: bool
    url: str
    slug: str = ""


@dataclass
class UnitStanding:
    unit: Unit
    progress: UnitProgress | None
    unlocked: bool
    status: str = Status.LOCKED
    steps: list[Step] = field(default_factory=list)
    previous: Unit | None = None

    @property
    def complete(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def steps_done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def checkpoint_passed(self) -> bool:
        return self.progress is not None and self.progress.checkpoint_best >= MASTERY

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)


@dataclass(frozen=True)
class ContinuePoint:
    unit: Unit
    step: Step

    @property
    def url(self) -> str:
        return self.step.url


_units = ContentMemo(max_entries=4)


def active_units() -> tuple[Unit, ...]:
    """The active units in path order, with their lessons and topics; once per content version.

    The instances are shared by every request of the process: read them, never change them.
    """
    return _units.get_or_build(
        "active",
        lambda: tuple(
            Unit.objects.filter(is_active=True).select_related("lesson", "topic").order_by("number")
        ),
    )


def active_unit(slug: str) -> Unit | None:
    """The active unit with this slug (from the content cache, shared: read only), or None."""
    return next((unit for unit in active_units() if unit.slug == slug), None)


def units_checking_challenge(slug: str) -> list[Unit]:
    """The active units whose checkpoint includes this challenge, in path order (one query)."""
    # Twelve units: filtering in Python keeps this portable (SQLite has no JSON contains).
    return [unit for unit in active_units() if slug in unit.checkpoint_challenges]


def units_before(unit: Unit) -> list[Unit]:
    """The active units that come before `unit` on the path, in order (one query)."""
    return [other for other in active_units() if other.number < unit.number]


def path_standings(user) -> list[UnitStanding]:
    """Every active unit in order, with the learner's steps and status (complete/current/open/locked)."""
    units = active_units()
    progress = _progress_by_unit(user, units)
    facts = challenge_facts(user, {slug for unit in units for slug in unit.checkpoint_challenges})
    standings, previous, current_found = [], None, False
    for unit in units:
        row = progress.get(unit.pk)
        standing = UnitStanding(
            unit=unit, progress=row, unlocked=False, previous=previous.unit if previous else None
        )
        standing.unlocked = previous is None or previous.complete or standing.complete
        standing.steps = _steps(unit, row, facts)
        if standing.complete:
            standing.status = Status.COMPLETE
        elif standing.unlocked:
            standing.status = Status.OPEN if current_found else Status.CURRENT
            current_found = True
        standings.append(standing)
        previous = standing
    return standings


def unit_standing(user, unit: Unit) -> UnitStanding:
    """The standing of one unit (its lock depends on the unit before, so the path is read)."""
    for standing in path_standings(user):
        if standing.unit.pk == unit.pk:
            return standing
    raise Unit.DoesNotExist(f"unit {unit.slug} is not active")


def continue_point(user, standings: list[UnitStanding] | None = None) -> ContinuePoint | None:
    """The first incomplete unlocked unit and its first step not done; None when all are complete."""
    for standing in standings if standings is not None else path_standings(user):
        if standing.status in (Status.CURRENT, Status.OPEN) and standing.next_step:
            return ContinuePoint(unit=standing.unit, step=standing.next_step)
    return None


def _progress_by_unit(user, units) -> dict[int, UnitProgress]:
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = UnitProgress.objects.filter(user=user, unit__in=units)
    return {row.unit_id: row for row in rows}


def _path_urls() -> dict[tuple[str, str], str]:
    """Every unit page and checkpoint challenge address of the path, once per content version."""

    def build():
        urls = {}
        for unit in active_units():
            urls["unit", unit.slug] = reverse("curriculum:unit", args=[unit.slug])
            for slug in unit.checkpoint_challenges:
                urls["challenge", slug] = reverse("challenges:detail", args=[slug])
        return urls

    return _units.get_or_build("urls", build)


def _steps(unit: Unit, row: UnitProgress | None, facts) -> list[Step]:
    urls = _path_urls()
    page = urls.get(("unit", unit.slug)) or reverse("curriculum:unit", args=[unit.slug])
    steps = [
        Step(1, "lesson", "Read the lesson", bool(row and row.lesson_done_at), f"{page}#lesson"),
        Step(
            2,
            "checkpoint",
            "Pass the checkpoint quiz",
            bool(row and row.checkpoint_best >= MASTERY),
            f"{page}#checkpoint",
        ),
    ]
    for number, slug in enumerate(unit.checkpoint_challenges, start=3):
        fact = facts[slug]
        url = urls.get(("challenge", slug)) or reverse("challenges:detail", args=[slug])
        steps.append(Step(number, "challenge", f"Solve “{fact.title}”", fact.solved, url, slug))
    return steps
