"""The review page (/learn/review/) and the dashboard's Review card."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import ChallengeProgress
from challenges.submissions import challenge_submit
from quiz.models import QuestionProgress
from tests.factories import ChallengeFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

WRONG = b"GET /books/2 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
URL = "/learn/review/"


def _missed_question(user, due_in=timedelta(0)):
    return QuestionProgress.objects.create(
        user=user,
        question=QuestionFactory(),
        last_correct=False,
        times_answered=1,
        in_practice=True,
        box=1,
        due_at=timezone.now() + due_in,
    )


def _failed_challenge(user, title="Fetch the first book", due=True):
    challenge = ChallengeFactory(title=title)
    challenge_submit(user=user, challenge=challenge, data=WRONG)
    if due:
        ChallengeProgress.objects.filter(user=user, challenge=challenge).update(
            review_due_at=timezone.now()
        )
    return challenge


def test_the_url_is_named_review():
    assert reverse("review") == URL


def test_lists_due_questions_with_a_practice_run_and_each_due_challenge(client):
    user = UserFactory()
    _missed_question(user)
    _missed_question(user)
    challenge = _failed_challenge(user)
    _failed_challenge(user, title="Not due yet", due=False)
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "2 questions due." in page
    assert f'action="{reverse("quiz:start")}"' in page and 'value="practice"' in page
    assert reverse("challenges:detail", args=[challenge.slug]) in page
    assert "Fetch the first book" in page and challenge.topic.title in page and "failed" in page
    assert "Not due yet" not in page
    assert "Waiting for later: 0 questions and 1 challenge." in page


def test_the_practice_button_starts_a_practice_run(client):
    user = UserFactory()
    progress = _missed_question(user)
    client.force_login(user)
    response = client.post(reverse("quiz:start"), {"topic": "practice"})
    run = user.quiz_runs.get()
    assert response.status_code == 302 and run.question_ids == [progress.question_id]


def test_empty_state_says_when_the_next_review_is(client):
    user = UserFactory()
    _missed_question(user, due_in=timedelta(days=2))
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "Nothing is due. Next review:" in page
    assert "Waiting for later: 1 question and 0 challenges." in page
    assert "Start a practice run" not in page


def test_empty_state_for_a_new_learner(client):
    client.force_login(UserFactory())
    page = client.get(URL).content.decode()
    assert "Nothing is due. Questions you miss and challenges you fail will come back here." in page


def test_a_strangers_review_is_not_shown(client):
    stranger = UserFactory()
    _missed_question(stranger)
    _failed_challenge(stranger, title="Stranger's challenge")
    client.force_login(UserFactory())
    page = client.get(URL).content.decode()
    assert "Nothing is due." in page and "Stranger's challenge" not in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_other_methods_are_refused(client):
    client.force_login(UserFactory())
    assert client.post(URL).status_code == 405


def test_dashboard_card_counts_questions_and_challenges_due_and_links_the_page(client):
    user = UserFactory()
    _missed_question(user)
    _failed_challenge(user)
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "2 due now: 1 question, 1 challenge." in page
    assert f'href="{URL}"' in page


def test_dashboard_card_when_nothing_is_due(client):
    client.force_login(UserFactory())
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="review-card-heading"' in page and "Nothing is due." in page
