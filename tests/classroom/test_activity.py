"""The dashboard's activity feed names what earned each award, by title, never by its key."""

import pytest
from django.urls import reverse

from accounts.services import xp_award
from classroom.activity import recent_activity
from tests.factories import ChallengeFactory, QuestionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_solved_challenge_is_named_by_its_title(client):
    user = UserFactory()
    challenge = ChallengeFactory(slug="methods-head", title="HEAD: headers without a body")
    xp_award(user=user, source=challenge.xp_source, points=15)
    client.force_login(user)
    body = client.get(reverse("dashboard")).content.decode()
    assert "+15 XP</strong> for solving <em>HEAD: headers without a body</em>" in body
    assert "challenge:methods-head" not in body


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("badge:first-solve", ("the badge", "First solve")),
        ("quiz-perfect:methods:2026-03-02", ("a perfect quiz run in Methods", "")),
        ("quiz:gone-question", ("a right quiz answer", "")),
        ("challenge:retired-one", ("solving", "retired-one")),
        ("demo:7", ("your activity", "")),
    ],
)
def test_every_kind_of_award_reads_as_words(source, words):
    user = UserFactory()
    TopicFactory(slug="methods", title="Methods")
    xp_award(user=user, source=source, points=5)
    [activity] = recent_activity(user)
    assert (activity.action, activity.title) == words


def test_the_feed_reads_titles_in_one_query_per_kind(django_assert_num_queries):
    user = UserFactory()
    topic = TopicFactory(slug="codes", title="Status codes")
    for _ in range(5):
        xp_award(user=user, source=ChallengeFactory().xp_source, points=5)
        xp_award(user=user, source=f"quiz:{QuestionFactory(topic=topic).slug}", points=5)
    with django_assert_num_queries(3):  # the awards, then challenge titles and quiz topics
        activities = recent_activity(user)
    assert len(activities) == 10
    assert all(a.title or "Status codes" in a.action for a in activities)
