from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cached_property

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.badges import badge_families, badge_get, badges_all
from accounts.learner_version import learner_cached, learner_version_bump_on_commit
from accounts.levels import level_progress
from accounts.models import BadgeAward, LearnerTotals, User


def xp_total(user: User) -> int:
    """Return the learner's all-time XP (from the maintained totals)."""
    return LearnerTotals.objects.filter(user=user).values_list("xp", flat=True).first() or 0


def recent_awards(user: User, limit: int = 10):
    """Return the learner's latest XP awards, newest first."""
    return user.xp_awards.all()[:limit]


def current_streak(user: User, totals: LearnerTotals | None = None) -> int:
    """The streak as of today in the learner's zone: 0 once a whole day was missed.

    `totals` saves the read when the caller has the learner's row already.
    """
    totals = totals or LearnerTotals.objects.filter(user=user).first()
    if totals is None or totals.last_active_day is None:
        return 0
    today = timezone.localdate(timezone.now(), user.zone)
    return totals.streak if totals.last_active_day >= today - timedelta(days=1) else 0


def progress_summary(user: User) -> dict:
    totals = LearnerTotals.objects.filter(user=user).first()
    xp = totals.xp if totals else 0
    return {
        "level": level_progress(xp),
        "streak": current_streak(user, totals),
        "best_streak": totals.best_streak if totals else 0,
    }


def badge_case(user: User) -> list[dict]:
    """Every badge, earned or not, with when it was earned and (for some) how."""
    earned = dict(BadgeAward.objects.filter(user=user).values_list("badge", "awarded_at"))
    notes: dict[str, str] = {}
    for family in badge_families():
        if family.notes and any(badge.slug in earned for badge in family.badges()):
            notes.update(family.notes(user))
    return [
        {"badge": badge, "earned_at": earned.get(badge.slug), "note": notes.get(badge.slug, "")}
        for badge in badges_all()
    ]


def unseen_badges(user: User) -> list:
    """Badges earned since the learner was last told, marking them told."""
    awards = list(BadgeAward.objects.filter(user=user, seen=False))
    if awards:
        BadgeAward.objects.filter(pk__in=[a.pk for a in awards]).update(seen=True)
        learner_version_bump_on_commit(user.pk)  # an update sends no signal
    return [badge for badge in map(badge_get, (a.badge for a in awards)) if badge]


def xp_per_day(user: User, days: int = 30) -> list[tuple]:
    """(date, XP) for each of the last `days` days in the learner's zone, oldest first, zeros included."""
    zone = user.zone
    today = timezone.localdate(timezone.now(), zone)
    first = today - timedelta(days=days - 1)
    # A plain bound on awarded_at (not its date) lets the index on it find the rows.
    since = datetime.combine(first, time.min, tzinfo=zone)
    rows = (
        user.xp_awards.filter(awarded_at__gte=since)
        .annotate(day=TruncDate("awarded_at", tzinfo=zone))
        .values("day")
        .annotate(points=Sum("points"))
    )
    by_day = {row["day"]: row["points"] for row in rows}
    return [
        (first + timedelta(days=n), by_day.get(first + timedelta(days=n), 0)) for n in range(days)
    ]


def xp_today(user: User) -> int:
    """XP earned since midnight in the learner's zone: one indexed sum over today's awards."""
    zone = user.zone
    midnight = datetime.combine(timezone.localdate(timezone.now(), zone), time.min, tzinfo=zone)
    return user.xp_awards.filter(awarded_at__gte=midnight).aggregate(xp=Sum("points"))["xp"] or 0


@dataclass(frozen=True)
class HeaderState:
    """What the header of every signed-in page shows of the learner, today in their zone."""

    xp_today: int
    has_unseen_badges: bool


def header_state(user: User) -> HeaderState:
    """Today's XP and whether a badge awaits announcing, from the learner's own cache entry.

    The entry is keyed by the learner, their zone and their day, and dropped by
    every XP or badge write (accounts.learner_version); on a miss, two queries.
    """
    # Kept on the request's user object: the badges and the goal both ask, once per page.
    state = getattr(user, "_header_state", None)
    if state is None:
        zone = user.zone
        today = timezone.localdate(timezone.now(), zone)
        state = user._header_state = learner_cached(
            user.pk,
            f"header:{zone.key}:{today.isoformat()}",
            lambda: HeaderState(
                xp_today=xp_today(user),
                has_unseen_badges=BadgeAward.objects.filter(user=user, seen=False).exists(),
            ),
        )
    return state


class DailyGoal:
    """Today's XP against the learner's daily goal, read only when a page shows it."""

    def __init__(self, user: User):
        self.user = user
        self.goal = user.daily_goal_xp

    @cached_property
    def xp(self) -> int:
        return header_state(self.user).xp_today

    @property
    def met(self) -> bool:
        return self.xp >= self.goal

    @property
    def bar_value(self) -> int:
        """The bar stops full: 45 of 30 XP is a met goal, not a bar drawn past its end."""
        return min(self.xp, self.goal)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.xp / self.goal)) if self.goal else 100
