"""Today's activity mark in the cache (accounts.services.activity_record).

Once today is recorded, later activity of the day is answered from the cache
without a query; the mark is set only after the day's row commits, and is
per learner and per day.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from accounts.models import ActivityDay, LearnerTotals
from accounts.services import activity_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def at_noon(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOON)


def test_later_activity_the_same_day_makes_no_query(
    at_noon, django_capture_on_commit_callbacks, django_assert_num_queries
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert activity_record(user=user) == 1
    with django_assert_num_queries(0):
        assert activity_record(user=user) == 1


def test_the_next_day_is_recorded_though_yesterday_is_marked(
    monkeypatch, django_capture_on_commit_callbacks
):
    user = UserFactory()
    for day in range(2):
        monkeypatch.setattr("django.utils.timezone.now", lambda d=day: NOON + timedelta(days=d))
        with django_capture_on_commit_callbacks(execute=True):
            activity_record(user=user)
    assert ActivityDay.objects.filter(user=user).count() == 2
    assert LearnerTotals.objects.get(user=user).streak == 2


def test_a_day_rolled_back_leaves_no_mark(at_noon, django_capture_on_commit_callbacks):
    user = UserFactory()
    # Callbacks captured run on leaving the block; those of the rolled-back block are dropped.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        activity_record(user=user)
        raise RuntimeError("the attempt failed after the day was recorded")
    assert not ActivityDay.objects.filter(user=user).exists()
    assert activity_record(user=user) == 1  # recorded now, not skipped by a stale mark
    assert ActivityDay.objects.filter(user=user).count() == 1


def test_one_learners_mark_never_answers_for_another(at_noon, django_capture_on_commit_callbacks):
    first, second = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        activity_record(user=first)
    activity_record(user=second)
    assert ActivityDay.objects.filter(user=second).count() == 1
    assert LearnerTotals.objects.get(user=second).last_active_day == NOON.date()


def test_a_deleted_active_day_is_recorded_again(at_noon, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):  # its callbacks run on leaving
        activity_record(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        ActivityDay.objects.filter(user=user).delete()
        LearnerTotals.objects.filter(user=user).delete()
    assert activity_record(user=user) == 1
    assert ActivityDay.objects.filter(user=user, day=NOON.date()).exists()
