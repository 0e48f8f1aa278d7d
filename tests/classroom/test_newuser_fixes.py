"""What a new-user trial found on the group, matrix and cell pages."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import xp_award
from accounts.templatetags.when import ago
from challenges.models import ChallengeProgress
from classroom.models import Assignment
from classroom.selectors import natural_key
from classroom.services import assignment_create, set_save
from quiz.models import Answer, QuizRun
from tests.factories import (
    ChallengeFactory,
    QuestionFactory,
    TopicFactory,
    UserFactory,
    group_with,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = UserFactory(display_name="Teacher")
    client.force_login(user)
    return user


def test_a_refused_assign_keeps_the_chosen_set_and_due_date(client, owner):
    group = group_with(owner)
    ChallengeFactory(slug="x")
    challenge_set = set_save(author=owner, title="Week one", description="", items=["challenge:x"])
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("classroom:assign", args=[group.pk]),
        {"challenge_set": challenge_set.pk, "due_at": past},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "That date has passed" in body
    assert f'<option value="{challenge_set.pk}" selected>Week one</option>' in body
    assert f'value="{past}"' in body
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(("zone", "shown"), [("UTC", "12:00 UTC"), ("Europe/Paris", "13:00 CET")])
def test_due_times_carry_the_viewers_time_zone(client, zone, shown):
    owner = UserFactory(time_zone=zone)
    client.force_login(owner)
    group = group_with(owner)
    ChallengeFactory(slug="x")
    challenge_set = set_save(author=owner, title="S", description="", items=["challenge:x"])
    due = datetime(2099, 12, 10, 12, 0, tzinfo=UTC)
    assignment = assignment_create(actor=owner, group=group, challenge_set=challenge_set)
    Assignment.objects.filter(pk=assignment.pk).update(due_at=due)
    for url in (
        reverse("classroom:detail", args=[group.pk]),
        reverse("classroom:matrix", args=[group.pk, assignment.pk]),
        reverse("classroom:assignment_board", args=[group.pk, assignment.pk]),
    ):
        assert shown in client.get(url).content.decode(), url


def test_natural_sort_puts_learner_2_before_learner_10(client, owner):
    assert sorted(["Learner 10", "learner 2", "Learner 1"], key=natural_key) == [
        "Learner 1",
        "learner 2",
        "Learner 10",
    ]
    group = group_with(
        owner, members=[UserFactory(display_name=f"Learner {n}") for n in (10, 2, 1)]
    )
    ChallengeFactory(slug="x")
    challenge_set = set_save(author=owner, title="S", description="", items=["challenge:x"])
    assignment = assignment_create(actor=owner, group=group, challenge_set=challenge_set)
    body = client.get(reverse("classroom:matrix", args=[group.pk, assignment.pk])).content.decode()
    assert body.index("Learner 1<") < body.index("Learner 2<") < body.index("Learner 10<")


def test_a_learner_who_saw_the_solution_shows_as_gave_up_in_matrix_legend_and_csv(client, owner):
    quitter, trier = UserFactory(display_name="Quinn"), UserFactory(display_name="Tess")
    group = group_with(owner, members=[quitter, trier])
    challenge = ChallengeFactory(slug="x", title="Fetch")
    ChallengeProgress.objects.create(
        user=quitter, challenge=challenge, status="tried", gave_up=True
    )
    ChallengeProgress.objects.create(user=trier, challenge=challenge, status="tried")
    challenge_set = set_save(author=owner, title="S", description="", items=["challenge:x"])
    assignment = assignment_create(actor=owner, group=group, challenge_set=challenge_set)
    body = client.get(reverse("classroom:matrix", args=[group.pk, assignment.pk])).content.decode()
    assert "⚑ Gave up (saw the solution)" in body  # symbol and words, not colour alone
    assert "◐ Tried" in body
    assert "⚑ Gave up: tried, then asked to see the solution" in body  # the legend
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("classroom:matrix_csv", args=[group.pk, assignment.pk])
                ).content.decode()
            )
        )
    )
    assert [row[1:] for row in rows[1:]] == [
        ["Quinn", "Gave up (saw the solution)", "0"],
        ["Tess", "Tried", "0"],
    ]


def test_the_quiz_cell_page_says_how_many_answers_were_right(client, owner):
    learner = UserFactory()
    group = group_with(owner, members=[learner])
    topic = TopicFactory(slug="methods", title="Methods")
    questions = [QuestionFactory(topic=topic, slug=f"q{n}") for n in range(10)]
    run = QuizRun.objects.create(
        user=learner,
        kind=QuizRun.Kind.TOPIC,
        topic=topic,
        question_ids=[q.pk for q in questions],
        layout={},
        finished_at=timezone.now(),
    )
    for position, question in enumerate(questions):
        Answer.objects.create(
            run=run,
            question=question,
            user=learner,
            position=position,
            given=[],
            correct=position < 2,
            fraction=1.0 if position < 2 else 0.0,
        )
    challenge_set = set_save(author=owner, title="S", description="", items=["quiz:methods"])
    assignment = assignment_create(actor=owner, group=group, challenge_set=challenge_set)
    url = reverse(
        "classroom:cell",
        args=[group.pk, assignment.pk, learner.username, challenge_set.items.get().pk],
    )
    body = client.get(url).content.decode()
    assert "finished, 10 of 10 answered, 2 right" in body


def test_recent_activity_says_just_now_not_0_minutes_ago(client, owner):
    assert ago(timezone.now()) == "just now"
    assert ago(timezone.now() - timedelta(seconds=59)) == "just now"
    assert ago(timezone.now() - timedelta(minutes=3, seconds=5)) == "3\xa0minutes ago"
    xp_award(user=owner, source="quiz:a", points=5)
    body = client.get(reverse("dashboard")).content.decode()
    assert "just now" in body and "0\xa0minutes" not in body and "seconds ago" not in body
