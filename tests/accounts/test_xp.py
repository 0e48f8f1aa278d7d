import pytest
from django.db import IntegrityError

from accounts.models import XpAward
from accounts.selectors import xp_total
from accounts.services import xp_award
from tests.concurrency import run_concurrently
from tests.factories import UserFactory


@pytest.mark.django_db
def test_first_award_of_a_source_is_recorded():
    user = UserFactory()
    assert xp_award(user=user, source="quiz:codes-created", points=10) is True
    assert xp_total(user) == 10


@pytest.mark.django_db
def test_second_award_of_the_same_source_awards_nothing():
    user = UserFactory()
    xp_award(user=user, source="challenge:first-get", points=20)
    assert xp_award(user=user, source="challenge:first-get", points=20) is False
    assert XpAward.objects.filter(user=user).count() == 1
    assert xp_total(user) == 20


@pytest.mark.django_db
def test_same_source_pays_each_learner_once():
    first, second = UserFactory(), UserFactory()
    assert xp_award(user=first, source="quiz:x", points=5)
    assert xp_award(user=second, source="quiz:x", points=5)


@pytest.mark.django_db
def test_negative_points_are_refused():
    with pytest.raises(ValueError):
        xp_award(user=UserFactory(), source="quiz:x", points=-1)


@pytest.mark.django_db
def test_database_itself_refuses_a_duplicate_row():
    user = UserFactory()
    XpAward.objects.create(user=user, source="quiz:x", points=1)
    with pytest.raises(IntegrityError):
        XpAward.objects.create(user=user, source="quiz:x", points=1)


def test_twenty_concurrent_awards_of_one_source_make_one_row(postgres_only):
    user = UserFactory()
    results = run_concurrently(
        lambda: xp_award(user=user, source="challenge:race", points=30), times=20
    )
    assert all(isinstance(result, bool) for result in results), results
    assert results.count(True) == 1
    assert XpAward.objects.filter(user=user, source="challenge:race").count() == 1
    assert xp_total(user) == 30
