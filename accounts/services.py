"""Writes of progress: the XP ledger with its maintained totals, streaks and badges.

Exactly-once is the database's job everywhere here: the ledger is unique per
(learner, source), a badge per (learner, badge), an active day per (learner,
day). Totals are updated with F() expressions in the same transaction as the
row that earns them, so they never drift from the ledger, even under races.
"""

from datetime import UTC, date, datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from accounts.badges import badge_get
from accounts.models import ActivityDay, BadgeAward, LearnerTotals, User, XpAward

BADGE_POINTS = 10
XP_BADGE_THRESHOLD = 1000
STREAK_BADGE_DAYS = 7
# A day's mark outlives the day in every time zone, then goes by itself.
ACTIVE_MARK_SECONDS = 2 * 24 * 3600


def week_start(moment: datetime) -> date:
    """Monday of the (UTC) week `moment` falls in: weekly boards are global, so one clock for all."""
    day = moment.astimezone(UTC).date() if timezone.is_aware(moment) else moment.date()
    return day - timedelta(days=day.weekday())


def totals_for(user: User) -> LearnerTotals:
    totals, _ = LearnerTotals.objects.get_or_create(
        user=user, defaults={"listed": user.show_on_leaderboards}
    )
    return totals


def profile_update(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    show_on_leaderboards: bool,
    daily_goal_xp: int | None = None,
) -> User:
    """Save the learner's settings; the leaderboard listing follows in the same transaction."""
    with transaction.atomic():
        user.display_name, user.time_zone, user.show_on_leaderboards = (
            display_name,
            time_zone,
            show_on_leaderboards,
        )
        user.daily_goal_xp = daily_goal_xp or user.daily_goal_xp
        user.save(
            update_fields=["display_name", "time_zone", "show_on_leaderboards", "daily_goal_xp"]
        )
        LearnerTotals.objects.filter(user=user).update(listed=show_on_leaderboards)
    return user


def xp_award(*, user: User, source: str, points: int, at: datetime | None = None) -> bool:
    """Record `points` XP for `user` from `source`; return True if awarded, False if already paid.

    The unique (user, source) constraint rejects a second insert even when two
    requests race; the totals move in the same transaction as the ledger row.
    """
    if points < 0:
        raise ValueError("XP points cannot be negative.")
    at = at or timezone.now()
    try:
        with transaction.atomic():
            XpAward.objects.create(user=user, source=source, points=points, awarded_at=at)
            if not _totals_add(user, points, at):  # the learner's first XP: no totals row yet
                totals_for(user)
                _totals_add(user, points, at)
    except IntegrityError:
        return False
    if not source.startswith("badge:"):
        total = LearnerTotals.objects.filter(user=user).values_list("xp", flat=True).first() or 0
        if total >= XP_BADGE_THRESHOLD:
            badge_award(user=user, badge="xp-1000")
    return True


def _totals_add(user: User, points: int, at: datetime) -> int:
    """Add `points` to the learner's totals; return how many rows moved (0: no totals yet)."""
    this_week = week_start(at)
    return LearnerTotals.objects.filter(user=user).update(
        xp=F("xp") + points,
        xp_reached_at=at,
        week_xp=Case(When(week_start=this_week, then=F("week_xp") + points), default=Value(points)),
        week_start=this_week,
        week_reached_at=at,
    )


def badge_award(*, user: User, badge: str) -> bool:
    """Give `badge` to the learner once, with its XP; return True if it is new."""
    if badge_get(badge) is None:
        raise ValueError(f"unknown badge {badge!r}")
    try:
        with transaction.atomic():
            BadgeAward.objects.create(user=user, badge=badge)
    except IntegrityError:
        return False
    xp_award(user=user, source=f"badge:{badge}", points=BADGE_POINTS)
    return True


def activity_record(*, user: User, at: datetime | None = None) -> int:
    """Count today (in the learner's zone) as active and return the current streak.

    A day counts once. The streak grows when yesterday was active, and starts
    again at 1 after a gap. Once today is recorded, a mark in the cache (per
    learner and day, set only after the day's row has committed) answers later
    calls of the day without a query.
    """
    present = at is None
    at = at or timezone.now()
    today = timezone.localtime(at, user.zone).date()
    mark = _active_mark(user.pk, today)
    if present and (streak := cache.get(mark)) is not None:
        return streak
    totals = totals_for(user)
    if totals.last_active_day == today:
        _mark_on_commit(mark, totals.streak)  # this transaction may be the one that wrote it
        return totals.streak  # the usual case, read without taking a lock
    with transaction.atomic():
        totals = LearnerTotals.objects.select_for_update().get(pk=totals.pk)
        if totals.last_active_day == today:
            return totals.streak
        ActivityDay.objects.get_or_create(user=user, day=today)
        if totals.last_active_day == today - timedelta(days=1):
            totals.streak += 1
        elif totals.last_active_day is None or totals.last_active_day < today:
            totals.streak = 1
        else:
            return totals.streak  # an event stamped before the latest active day changes nothing
        totals.best_streak = max(totals.best_streak, totals.streak)
        totals.last_active_day = today
        totals.save(update_fields=["streak", "best_streak", "last_active_day"])
        _mark_on_commit(mark, totals.streak)
    if totals.streak >= STREAK_BADGE_DAYS:
        badge_award(user=user, badge="streak-7")
    return totals.streak


def _mark_on_commit(mark: str, streak: int) -> None:
    # After the commit (at once outside a transaction): a rolled-back day leaves no mark.
    transaction.on_commit(lambda: cache.set(mark, streak, timeout=ACTIVE_MARK_SECONDS), robust=True)


def _active_mark(user_id: int, day: date) -> str:
    """The cache key saying `day` is recorded for the learner (its value: the streak then)."""
    return f"accounts:active:{user_id}:{day.isoformat()}"


def activity_mark_forget(*, user_id: int, day: date) -> None:
    """Drop the learner's mark for `day` once the current transaction commits (the day's
    row or the totals were deleted), so the next activity of that day is recorded again."""
    transaction.on_commit(lambda: cache.delete(_active_mark(user_id, day)), robust=True)
