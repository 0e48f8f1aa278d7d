"""Totals, levels, streaks and badges."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Sum

from accounts.levels import level_for, level_progress, level_threshold
from accounts.models import ActivityDay, BadgeAward, LearnerTotals, XpAward
from accounts.selectors import current_streak, unseen_badges, xp_per_day
from accounts.services import activity_record, badge_award, week_start, xp_award
from tests.concurrency import run_concurrently
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_totals_follow_the_ledger_in_the_same_transaction():
    user = UserFactory()
    xp_award(user=user, source="quiz:a", points=10)
    xp_award(user=user, source="quiz:b", points=15)
    xp_award(user=user, source="quiz:a", points=10)  # already paid
    totals = LearnerTotals.objects.get(user=user)
    assert totals.xp == 25 == XpAward.objects.filter(user=user).aggregate(s=Sum("points"))["s"]


def test_week_xp_restarts_on_monday_utc():
    user = UserFactory()
    sunday = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    xp_award(user=user, source="quiz:a", points=10, at=sunday)
    xp_award(user=user, source="quiz:b", points=5, at=sunday + timedelta(minutes=10))
    totals = LearnerTotals.objects.get(user=user)
    assert (totals.week_start, totals.week_xp) == (date(2026, 11, 16), 15)
    xp_award(
        user=user, source="quiz:c", points=7, at=sunday + timedelta(hours=1)
    )  # Monday 00:30 UTC
    totals.refresh_from_db()
    assert (totals.week_start, totals.week_xp, totals.xp) == (date(2026, 11, 23), 7, 22)


def test_week_start_is_the_utc_monday():
    assert week_start(datetime(2026, 11, 26, 12, tzinfo=UTC)) == date(2026, 11, 23)


@pytest.mark.parametrize(
    "xp, level",
    [
        (0, 1),
        (99, 1),
        (100, 2),
        (299, 2),
        (300, 3),
        (599, 3),
        (600, 4),
        (1000, 5),
        (46_500, 31),
        (49_599, 31),
        (49_600, 32),
    ],
)
def test_level_curve(xp, level):
    assert level_for(xp) == level
    assert level_threshold(level) <= xp < level_threshold(level + 1)


def test_level_progress_to_next():
    progress = level_progress(250)
    assert (
        progress.level,
        progress.start,
        progress.next_start,
        progress.to_next,
        progress.percent,
    ) == (2, 100, 300, 50, 75)


def _at(zone_name, *args):
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo(zone_name))


def test_streak_counts_days_in_the_learners_zone():
    user = UserFactory(time_zone="Asia/Tokyo")
    # 23:30 and 00:30 Tokyo time: two different days there, though only an hour apart.
    assert activity_record(user=user, at=_at("Asia/Tokyo", 2026, 11, 20, 23, 30)) == 1
    assert activity_record(user=user, at=_at("Asia/Tokyo", 2026, 11, 21, 0, 30)) == 2
    assert (
        activity_record(user=user, at=_at("Asia/Tokyo", 2026, 11, 21, 12, 0)) == 2
    )  # same day again
    assert ActivityDay.objects.filter(user=user).count() == 2


def test_the_same_utc_instant_is_one_day_in_one_zone_and_two_in_another():
    utc_late = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    utc_early_next = datetime(2026, 11, 21, 0, 30, tzinfo=UTC)
    london, los_angeles = (
        UserFactory(time_zone="Europe/London"),
        UserFactory(time_zone="America/Los_Angeles"),
    )
    for user in (london, los_angeles):
        activity_record(user=user, at=utc_late)
        activity_record(user=user, at=utc_early_next)
    assert LearnerTotals.objects.get(user=london).streak == 2  # 23:30 and 00:30 in London
    assert LearnerTotals.objects.get(user=los_angeles).streak == 1  # both on the 20th in LA


def test_a_missed_day_starts_the_streak_again_and_best_is_kept():
    user = UserFactory()
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    for offset in range(3):
        activity_record(user=user, at=start + timedelta(days=offset))
    assert activity_record(user=user, at=start + timedelta(days=5)) == 1
    totals = LearnerTotals.objects.get(user=user)
    assert (totals.streak, totals.best_streak) == (1, 3)


def test_current_streak_reads_zero_after_a_missed_day(monkeypatch):
    user = UserFactory()
    activity_record(user=user, at=datetime(2026, 11, 1, 12, tzinfo=UTC))
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 11, 2, 20, tzinfo=UTC))
    assert current_streak(user) == 1  # yesterday counts: today is not over
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 11, 3, 1, tzinfo=UTC))
    assert current_streak(user) == 0


def test_seven_day_streak_earns_the_badge():
    user = UserFactory()
    start = datetime(2026, 11, 1, 12, tzinfo=UTC)
    for offset in range(6):
        activity_record(user=user, at=start + timedelta(days=offset))
    assert not BadgeAward.objects.filter(user=user, badge="streak-7").exists()
    activity_record(user=user, at=start + timedelta(days=6))
    assert BadgeAward.objects.filter(user=user, badge="streak-7").exists()


def test_a_badge_is_awarded_once_with_its_xp_and_shown_once():
    user = UserFactory()
    assert badge_award(user=user, badge="team-player") is True
    assert badge_award(user=user, badge="team-player") is False
    assert XpAward.objects.get(user=user, source="badge:team-player").points == 10
    assert [badge.slug for badge in unseen_badges(user)] == ["team-player"]
    assert unseen_badges(user) == []


def test_unknown_badge_is_a_programming_error():
    with pytest.raises(ValueError):
        badge_award(user=UserFactory(), badge="nope")


def test_thousand_xp_earns_its_badge():
    user = UserFactory()
    xp_award(user=user, source="quiz:big", points=999)
    assert not BadgeAward.objects.filter(user=user).exists()
    xp_award(user=user, source="quiz:one", points=1)
    assert BadgeAward.objects.filter(user=user, badge="xp-1000").exists()


def test_xp_per_day_has_thirty_days_with_zeros():
    user = UserFactory()
    xp_award(user=user, source="quiz:a", points=10)
    days = xp_per_day(user)
    assert len(days) == 30 and days[-1][1] == 10 and sum(points for _, points in days) == 10


def test_fifty_concurrent_awards_make_one_row_and_move_totals_once(postgres_only):
    user = UserFactory()
    results = run_concurrently(
        lambda: xp_award(user=user, source="challenge:race", points=30), times=50
    )
    assert results.count(True) == 1, results
    assert XpAward.objects.filter(user=user, source="challenge:race").count() == 1
    totals = LearnerTotals.objects.get(user=user)
    assert (totals.xp, totals.week_xp) == (30, 30)
