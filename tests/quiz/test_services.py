import random
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import XpAward
from quiz.models import Answer, Question, QuestionProgress
from quiz.questions import correct_answer
from quiz.services import QuizError, quiz_answer_submit, quiz_run_start
from tests.concurrency import run_concurrently
from tests.factories import QuestionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def _topic_with(n, kind="single"):
    topic = TopicFactory()
    questions = [QuestionFactory(topic=topic, kind=kind) for _ in range(n)]
    return topic, questions


def _answer_all(run, right=True):
    for position, question_id in enumerate(run.question_ids):
        data = Question.objects.get(pk=question_id).data
        quiz_answer_submit(
            run=run, position=position, answer=correct_answer(data) if right else _wrong(data)
        )


def _wrong(data):
    return {
        "single": 1,
        "multi": [2],
        "truefalse": False,
        "typed": "418",
        "spot_line": 1,
        "match": [1, 0, 2],
    }[data["type"]]


def test_run_takes_ten_distinct_questions_of_the_topic():
    topic, _ = _topic_with(14)
    run = quiz_run_start(user=UserFactory(), kind="topic", topic=topic, rng=random.Random(1))
    assert run.size == 10 and len(set(run.question_ids)) == 10
    assert all(len(order) == 3 for order in run.layout.values())


def test_a_small_topic_gives_a_shorter_run():
    topic, _ = _topic_with(4)
    assert quiz_run_start(user=UserFactory(), kind="topic", topic=topic).size == 4


def test_starting_again_resumes_the_unfinished_run():
    topic, _ = _topic_with(12)
    user = UserFactory()
    first = quiz_run_start(user=user, kind="topic", topic=topic)
    assert quiz_run_start(user=user, kind="topic", topic=topic).pk == first.pk


def test_empty_topic_refuses_with_a_clear_message():
    with pytest.raises(QuizError, match="no questions"):
        quiz_run_start(user=UserFactory(), kind="topic", topic=TopicFactory())


def test_first_correct_answer_awards_xp_once_across_runs():
    topic, (question,) = _topic_with(1)
    user = UserFactory()
    run = quiz_run_start(user=user, kind="topic", topic=topic)
    quiz_answer_submit(run=run, position=0, answer=0)
    second = quiz_run_start(user=user, kind="topic", topic=topic)
    assert second.pk != run.pk
    quiz_answer_submit(run=second, position=0, answer=0)
    awards = XpAward.objects.filter(user=user, source=f"quiz:{question.slug}")
    assert awards.count() == 1 and awards.get().points == question.xp_points


def test_wrong_answer_awards_nothing_and_enters_practice():
    topic, (question,) = _topic_with(1)
    user = UserFactory()
    run = quiz_run_start(user=user, kind="topic", topic=topic)
    recorded = quiz_answer_submit(run=run, position=0, answer=1)
    assert recorded.correct is False
    assert not XpAward.objects.filter(user=user, source__startswith="quiz:").exists()
    progress = QuestionProgress.objects.get(user=user, question=question)
    assert progress.in_practice and progress.box == 1 and progress.due_at <= timezone.now()


def test_answering_out_of_order_is_refused_and_records_nothing():
    topic, _ = _topic_with(3)
    run = quiz_run_start(user=UserFactory(), kind="topic", topic=topic)
    with pytest.raises(QuizError, match="not the current one"):
        quiz_answer_submit(run=run, position=2, answer=0)
    assert not Answer.objects.exists()


def test_double_submission_returns_the_first_answer():
    topic, _ = _topic_with(2)
    run = quiz_run_start(user=UserFactory(), kind="topic", topic=topic)
    first = quiz_answer_submit(run=run, position=0, answer=1)
    again = quiz_answer_submit(run=run, position=0, answer=0)
    assert again.pk == first.pk and again.correct is False
    assert Answer.objects.count() == 1


def test_last_answer_finishes_the_run_and_a_perfect_run_earns_a_daily_bonus():
    topic, _ = _topic_with(10)
    user = UserFactory()
    run = quiz_run_start(user=user, kind="topic", topic=topic)
    _answer_all(run)
    run.refresh_from_db()
    assert run.finished_at is not None
    assert (
        XpAward.objects.filter(user=user, source__startswith=f"quiz-perfect:{topic.slug}:").count()
        == 1
    )
    again = quiz_run_start(user=user, kind="topic", topic=topic)
    _answer_all(again)
    assert XpAward.objects.filter(user=user, source__startswith="quiz-perfect:").count() == 1


def test_imperfect_run_earns_no_bonus():
    topic, _ = _topic_with(10)
    user = UserFactory()
    run = quiz_run_start(user=user, kind="topic", topic=topic)
    _answer_all(run, right=False)
    assert not XpAward.objects.filter(user=user, source__startswith="quiz-perfect:").exists()


def test_practice_needs_three_right_answers_in_separate_runs_spaced_out():
    topic, (question,) = _topic_with(1)
    user = UserFactory()
    quiz_answer_submit(
        run=quiz_run_start(user=user, kind="topic", topic=topic), position=0, answer=1
    )

    def practise():
        run = quiz_run_start(user=user, kind="practice")
        assert run.question_ids == [question.pk]
        quiz_answer_submit(run=run, position=0, answer=0)
        return QuestionProgress.objects.get(user=user, question=question)

    progress = practise()
    assert (progress.practice_passes, progress.box, progress.in_practice) == (1, 2, True)
    assert progress.due_at > timezone.now() + timedelta(hours=23)
    with pytest.raises(QuizError, match="No mistakes are due"):
        quiz_run_start(user=user, kind="practice")

    QuestionProgress.objects.filter(pk=progress.pk).update(due_at=timezone.now())
    progress = practise()
    assert (progress.practice_passes, progress.box) == (2, 3)
    assert progress.due_at > timezone.now() + timedelta(days=2, hours=23)

    QuestionProgress.objects.filter(pk=progress.pk).update(due_at=timezone.now())
    progress = practise()
    assert progress.in_practice is False and progress.practice_passes == 3


def test_a_miss_during_practice_starts_the_boxes_again():
    topic, (question,) = _topic_with(1)
    user = UserFactory()
    quiz_answer_submit(
        run=quiz_run_start(user=user, kind="topic", topic=topic), position=0, answer=1
    )
    quiz_answer_submit(run=quiz_run_start(user=user, kind="practice"), position=0, answer=0)
    QuestionProgress.objects.update(due_at=timezone.now())
    quiz_answer_submit(run=quiz_run_start(user=user, kind="practice"), position=0, answer=1)
    progress = QuestionProgress.objects.get(user=user, question=question)
    assert (progress.box, progress.practice_passes, progress.in_practice) == (1, 0, True)


def test_concurrent_submissions_of_one_answer_record_it_once(postgres_only):
    topic, (question,) = _topic_with(1)
    user = UserFactory()
    run = quiz_run_start(user=user, kind="topic", topic=topic)
    results = run_concurrently(lambda: quiz_answer_submit(run=run, position=0, answer=0), times=20)
    assert all(isinstance(result, Answer) for result in results), results
    assert Answer.objects.filter(run=run).count() == 1
    assert XpAward.objects.filter(user=user, source=f"quiz:{question.slug}").count() == 1
