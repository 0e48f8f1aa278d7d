"""'What you may believe': evidence from answers, checks and requests; belief practice runs."""

import copy
import random

import pytest
from django.test import Client
from django.urls import reverse

from challenges.services import sandbox_send
from challenges.submissions import challenge_submit
from classroom.beliefs import beliefs_for
from quiz.belief_runs import quiz_belief_start
from quiz.models import QuizRun
from quiz.services import QuizError, quiz_answer_submit
from tests.factories import (
    GET_BOOK_STEP,
    ChallengeFactory,
    MisconceptionFactory,
    QuestionFactory,
    UserFactory,
    question_data,
)

pytestmark = pytest.mark.django_db

WRONG_TARGET = b"GET /books/2 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
BARE_LF = b"GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n"


def _linked_question(misconception, slug=None):
    """A single-choice question whose wrong option 1 ('200 OK') carries `misconception`."""
    question = QuestionFactory(**({"slug": slug} if slug else {}))
    # question_data shares its option dicts between calls: copy before marking one.
    data = copy.deepcopy(question_data("single", question.slug, question.topic.slug))
    data["options"][1]["misconception"] = misconception.slug
    question.data = data
    question.save()
    return question


def _answer_wrong(user, question, choice=1):
    run = QuizRun.objects.create(
        user=user, kind=QuizRun.Kind.MIXED, question_ids=[question.pk], layout={}
    )
    return quiz_answer_submit(run=run, position=0, answer=choice)


def _linked_challenge(misconception, **fields):
    checks = [dict(check) for check in GET_BOOK_STEP["checks"]]
    checks[1]["misconception"] = misconception.slug  # request_target /books/1
    return ChallengeFactory(steps=[{"name": "Fetch book 1", "checks": checks}], **fields)


def test_a_wrong_answer_whose_option_carries_the_misconception_is_evidence():
    user, belief = UserFactory(), MisconceptionFactory()
    question = _linked_question(belief)
    answer = _answer_wrong(user, question)
    [found] = beliefs_for(user)
    assert found.misconception == belief and found.count == 1
    [item] = found.evidence
    assert item.source == "answer" and item.title == question.prompt
    assert item.detail == "You chose: 200 OK"
    assert item.url == reverse("quiz:feedback", args=[answer.run_id, 0])


def test_a_wrong_option_without_a_link_reveals_nothing():
    user, belief = UserFactory(), MisconceptionFactory()
    _answer_wrong(user, _linked_question(belief), choice=2)
    assert beliefs_for(user) == []


def test_a_failed_linked_check_is_evidence_with_its_message_and_submission():
    user, belief = UserFactory(), MisconceptionFactory()
    challenge = _linked_challenge(belief, title="Book one")
    attempt = challenge_submit(user=user, challenge=challenge, data=WRONG_TARGET)
    [found] = beliefs_for(user)
    [item] = found.evidence
    assert item.source == "check" and item.title == "Book one, step 1"
    assert item.detail == "Your request-target is /books/2, but this step needs /books/1."
    assert item.url == reverse("challenges:submission", args=[attempt.submission.pk])


def test_a_request_whose_diagnostic_the_misconception_lists_is_evidence_key_masked():
    user = UserFactory()
    belief = MisconceptionFactory(diagnostics=["bare-lf"])
    MisconceptionFactory(diagnostics=["missing-host"])
    keyed = f"GET http://{user.sandbox_key}.sandbox.localhost/books/1 HTTP/1.1\nHost: x\n\n"
    sandbox_send(user=user, data=keyed.encode(), source="cli")
    [found] = beliefs_for(user)
    assert found.misconception == belief
    [item] = found.evidence
    assert item.source == "request" and item.url == ""
    assert user.sandbox_key not in item.title and "[learner-key]" in item.title
    assert item.title.startswith("GET http://")
    assert item.detail


def test_more_evidence_ranks_first_and_the_dashboard_shows_it():
    user = UserFactory()
    once = MisconceptionFactory(belief="Believed once.")
    twice = MisconceptionFactory(belief="Believed twice.", diagnostics=["bare-lf"])
    _answer_wrong(user, _linked_question(once))
    _answer_wrong(user, _linked_question(twice))
    sandbox_send(user=user, data=BARE_LF, source="editor")
    assert [b.misconception for b in beliefs_for(user)] == [twice, once]
    client = Client()
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "What you may believe" in page
    assert page.index("Believed twice.") < page.index("Believed once.")
    assert (
        "Evidence: 2 times" in page
        and "https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2" in page
    )


def test_with_as_much_evidence_the_more_recent_ranks_first():
    user = UserFactory()
    older, newer = MisconceptionFactory(), MisconceptionFactory()
    _answer_wrong(user, _linked_question(older))
    _answer_wrong(user, _linked_question(newer))
    assert [b.misconception for b in beliefs_for(user)] == [newer, older]
    _answer_wrong(user, _linked_question(older))
    assert [b.misconception for b in beliefs_for(user)] == [older, newer]


def test_at_most_five_are_shown():
    user = UserFactory()
    for _ in range(7):
        _answer_wrong(user, _linked_question(MisconceptionFactory()))
    assert len(beliefs_for(user)) == 5


def test_a_strangers_answers_checks_and_requests_are_never_shown(client):
    user, stranger = UserFactory(), UserFactory()
    belief = MisconceptionFactory(belief="Only the stranger thinks so.", diagnostics=["bare-lf"])
    _answer_wrong(stranger, _linked_question(belief))
    challenge_submit(user=stranger, challenge=_linked_challenge(belief), data=WRONG_TARGET)
    sandbox_send(user=stranger, data=BARE_LF, source="editor")
    assert beliefs_for(stranger)[0].count == 3
    assert beliefs_for(user) == []
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Only the stranger thinks so." not in page
    assert "Nothing to show yet." in page


def test_a_belief_run_asks_only_the_linked_questions():
    user, belief = UserFactory(), MisconceptionFactory()
    linked = {_linked_question(belief).pk for _ in range(4)}
    for _ in range(6):
        QuestionFactory()
    run = quiz_belief_start(user=user, misconception=belief, rng=random.Random(1))
    assert set(run.question_ids) == linked and run.misconception == belief
    assert run.title == f"Practice: {belief.belief}"


def test_practise_this_posts_a_belief_run(client):
    user, belief = UserFactory(), MisconceptionFactory()
    for _ in range(3):
        _answer_wrong(user, _linked_question(belief))
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'name="misconception" value="{belief.slug}"' in page and "Practise this" in page
    response = client.post(reverse("quiz:start"), {"misconception": belief.slug})
    run = QuizRun.objects.get(user=user, kind=QuizRun.Kind.BELIEF)
    assert response["Location"] == reverse("quiz:run", args=[run.pk])


def test_with_few_linked_questions_the_linked_challenges_are_offered(client):
    user, belief = UserFactory(), MisconceptionFactory()
    _answer_wrong(user, _linked_question(belief))
    challenge = _linked_challenge(belief, title="Target practice")
    [found] = beliefs_for(user)
    assert found.questions == 1 and [c.slug for c in found.challenges] == [challenge.slug]
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("challenges:detail", args=[challenge.slug]) in page


def test_no_linked_questions_gives_a_clear_message_and_starts_nothing(client):
    user = UserFactory()
    belief = MisconceptionFactory(diagnostics=["bare-lf"])
    with pytest.raises(QuizError, match="No quiz question practises this belief yet"):
        quiz_belief_start(user=user, misconception=belief)
    sandbox_send(user=user, data=BARE_LF, source="editor")
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Practise this" not in page and "No question or challenge practises this one yet" in page
    response = client.post(reverse("quiz:start"), {"misconception": belief.slug}, follow=True)
    assert "No quiz question practises this belief yet" in response.content.decode()
    assert not QuizRun.objects.filter(user=user).exists()


def test_an_unknown_misconception_slug_is_refused_with_a_message(client):
    client.force_login(UserFactory())
    response = client.post(reverse("quiz:start"), {"misconception": "no-such"}, follow=True)
    assert "There is no such misconception to practise." in response.content.decode()
    assert not QuizRun.objects.exists()
