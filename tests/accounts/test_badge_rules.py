"""Every badge rule, earned through the real services of the room that owns its event."""

import pytest

from accounts.models import BadgeAward
from challenges.models import RecordedExchange
from challenges.services import sandbox_send
from challenges.submissions import FIXES_FOR_BADGE, challenge_submit
from quiz.questions import correct_answer
from quiz.services import CENTURY, quiz_answer_submit, quiz_run_start
from tests.factories import (
    ChallengeFactory,
    QuestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GET_BOOK = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
BROKEN = b"GET /books/1 HTTP/1.1\r\nHost : sandbox.localhost\r\n\r\n"


def badges(user) -> set[str]:
    return set(BadgeAward.objects.filter(user=user).values_list("badge", flat=True))


def _answer_topic(user, topic, right=True):
    run = quiz_run_start(user=user, kind="topic", topic=topic)
    for position, question_id in enumerate(run.question_ids):
        data = topic.questions.get(pk=question_id).data
        quiz_answer_submit(run=run, position=position, answer=correct_answer(data) if right else 1)
    return run


def test_first_answer_even_a_wrong_one():
    user, topic = UserFactory(), TopicFactory()
    QuestionFactory(topic=topic)
    _answer_topic(user, topic, right=False)
    assert badges(user) == {"first-answer"}


def test_topic_master_and_perfect_run():
    user, topic = UserFactory(), TopicFactory()
    for _ in range(10):
        QuestionFactory(topic=topic)
    _answer_topic(user, topic)
    assert {"topic-master", "perfect-run"} <= badges(user)


def test_quiz_century(monkeypatch):
    monkeypatch.setattr("quiz.services.CENTURY", 3)
    user, topic = UserFactory(), TopicFactory()
    for _ in range(4):
        QuestionFactory(topic=topic)
    _answer_topic(user, topic)
    assert "quiz-century" in badges(user)
    assert CENTURY == 100  # the real threshold


def test_first_solve_and_method_actor():
    user = UserFactory()
    methods = TopicFactory(slug="methods")
    first, second = ChallengeFactory(topic=methods), ChallengeFactory(topic=methods)
    challenge_submit(user=user, challenge=first, data=GET_BOOK)
    assert "first-solve" in badges(user) and "method-actor" not in badges(user)
    challenge_submit(user=user, challenge=second, data=GET_BOOK)
    assert "method-actor" in badges(user)


def test_first_304_and_conditional_request():
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(
        user=user,
        challenge=challenge,
        data=b'GET /books/1 HTTP/1.1\r\nHost: x\r\nIf-None-Match: "book-1-v1"\r\n\r\n',
    )
    assert {"first-304", "conditional"} <= badges(user)


def test_fixer_after_ten_fixed_requests(monkeypatch):
    user = UserFactory()
    challenges = [ChallengeFactory() for _ in range(FIXES_FOR_BADGE)]
    for number, challenge in enumerate(challenges, start=1):
        challenge_submit(user=user, challenge=challenge, data=BROKEN)
        challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
        assert ("fixer" in badges(user)) is (number == FIXES_FOR_BADGE)


def test_a_pass_without_a_broken_attempt_before_is_no_fix():
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(
        user=user, challenge=challenge, data=b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
    )  # wrong, not broken
    attempt = challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert attempt.submission.fixed_broken is False


def test_terminal_badge_from_the_tcp_path():
    from challenges.tcp import learner_send

    user = UserFactory()
    raw = f"GET /books HTTP/1.1\r\nHost: {user.sandbox_key}.sandbox.localhost\r\n\r\n".encode()
    outcome = learner_send(user.sandbox_key, raw)
    assert outcome.exchanges[0].response.status == 200
    assert "terminal" in badges(user)
    assert RecordedExchange.objects.filter(user=user, source="tcp").count() == 1
    assert learner_send("knosuchkey00", raw) is None


def test_editor_requests_alone_do_not_earn_terminal():
    user = UserFactory()
    sandbox_send(user=user, data=GET_BOOK, source="editor")
    assert "terminal" not in badges(user)


def test_a_pass_after_a_pass_is_no_fix_even_after_a_broken_one_earlier():
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=BROKEN)
    assert challenge_submit(user=user, challenge=challenge, data=GET_BOOK).submission.fixed_broken
    again = challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert again.submission.fixed_broken is False
