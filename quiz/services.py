"""Writes of the quiz: starting runs, recording answers, XP and the practice queue.

The practice queue follows the Leitner rule shared with challenges (curriculum.review).
"""

import random

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import activity_record, badge_award, xp_award
from curriculum.models import Topic, Unit
from curriculum.review import review_next
from curriculum.selectors import unit_standing, units_before
from curriculum.services import unit_checkpoint_record, unit_placement_record
from quiz.models import Answer, Question, QuestionProgress, QuizRun
from quiz.questions import score_answer

RUN_SIZE = 10
PLACEMENT_SIZE = 12
PERFECT_RUN_BONUS = 25
CENTURY = 100


class QuizError(Exception):
    """A request the quiz cannot honour; the message is shown to the learner as is."""


def quiz_run_start(
    *, user: User, kind: str, topic: Topic | None = None, rng: random.Random | None = None
) -> QuizRun:
    """Return the learner's unfinished run of this kind and topic, or start a new one.

    Raises QuizError when there is nothing to ask (an empty topic, or no mistakes due).
    """
    rng = rng or random.Random()
    unfinished = QuizRun.objects.filter(
        user=user, kind=kind, topic=topic, finished_at__isnull=True
    ).first()
    if unfinished is not None:
        return unfinished
    questions = _questions_for_run(user=user, kind=kind, topic=topic, rng=rng)
    if not questions:
        message = (
            "No mistakes are due for practice right now."
            if kind == QuizRun.Kind.PRACTICE
            else "This topic has no questions yet."
        )
        raise QuizError(message)
    layout = {str(question.pk): _shuffled_layout(question, rng) for question in questions}
    return QuizRun.objects.create(
        user=user, kind=kind, topic=topic, question_ids=[q.pk for q in questions], layout=layout
    )


def _questions_for_run(*, user, kind, topic, rng) -> list[Question]:
    active = Question.objects.filter(is_active=True)
    if kind == QuizRun.Kind.PRACTICE:
        due = (
            QuestionProgress.objects.filter(
                user=user, in_practice=True, due_at__lte=timezone.now(), question__is_active=True
            )
            .order_by("box", "due_at")
            .select_related("question")[:RUN_SIZE]
        )
        questions = [progress.question for progress in due]
        rng.shuffle(questions)
        return questions
    if kind == QuizRun.Kind.TOPIC:
        active = active.filter(topic=topic)
    pool = list(active)
    return rng.sample(pool, min(RUN_SIZE, len(pool)))


def quiz_checkpoint_start(*, user: User, unit: Unit, rng: random.Random | None = None) -> QuizRun:
    """Resume or start the unit's checkpoint: all its questions, shuffled.

    Raises QuizError when the unit is locked or has no active questions.
    """
    if not unit_standing(user, unit).unlocked:
        raise QuizError(
            f"The checkpoint of unit {unit.number} opens when you complete the unit before it."
        )
    questions = list(Question.objects.filter(is_active=True, slug__in=unit.checkpoint_questions))
    return _path_run(user, QuizRun.Kind.CHECKPOINT, unit, questions, rng or random.Random())


def quiz_placement_start(*, user: User, unit: Unit, rng: random.Random | None = None) -> QuizRun:
    """Resume or start a placement check that skips to `unit`: questions from the units before it.

    Each earlier unit gives an equal share of PLACEMENT_SIZE (at least one), so
    every skipped unit is tested. Raises QuizError when `unit` is already open.
    """
    if unit_standing(user, unit).unlocked:
        raise QuizError(f"Unit {unit.number} is already open to you: no check needed.")
    rng = rng or random.Random()
    earlier = units_before(unit)
    share = max(1, PLACEMENT_SIZE // max(1, len(earlier)))
    questions = []
    for other in earlier:
        pool = list(Question.objects.filter(is_active=True, slug__in=other.checkpoint_questions))
        questions += rng.sample(pool, min(share, len(pool)))
    return _path_run(user, QuizRun.Kind.PLACEMENT, unit, questions[:PLACEMENT_SIZE], rng)


def _path_run(user, kind, unit, questions, rng) -> QuizRun:
    unfinished = QuizRun.objects.filter(
        user=user, kind=kind, unit=unit, finished_at__isnull=True
    ).first()
    if unfinished is not None:
        return unfinished
    if not questions:
        raise QuizError("This unit has no checkpoint questions yet.")
    rng.shuffle(questions)
    layout = {str(question.pk): _shuffled_layout(question, rng) for question in questions}
    return QuizRun.objects.create(
        user=user, kind=kind, unit=unit, question_ids=[q.pk for q in questions], layout=layout
    )


def _shuffled_layout(question: Question, rng: random.Random) -> list[int]:
    """Return the display order of the question's options (or match choices) as YAML indexes."""
    data = question.data
    count = len(data.get("options") or data.get("pairs") or [])
    order = list(range(count))
    rng.shuffle(order)
    return order


@transaction.atomic
def quiz_answer_submit(*, run: QuizRun, position: int, answer) -> Answer:
    """Score `answer` to the question at `position` of `run` and record it, once.

    Returns the Answer. A second submission for the same position (a double
    click, a race) returns the first answer and awards nothing more.
    Raises QuizError for a finished run or a position that is not the current one.
    """
    run = QuizRun.objects.select_for_update().get(pk=run.pk)
    existing = run.answers.filter(position=position).select_related("question").first()
    if existing is not None:
        return existing
    if run.finished_at is not None:
        raise QuizError("This quiz run is already finished.")
    current = run.answers.count()
    if position != current:
        raise QuizError("That question was not the current one; here is where you are.")
    question = Question.objects.get(pk=run.question_ids[position])
    score = score_answer(question.data, answer)
    try:
        with transaction.atomic():
            recorded = Answer.objects.create(
                run=run,
                question=question,
                user=run.user,
                position=position,
                given=_jsonable(answer),
                correct=score.correct,
                fraction=score.fraction,
                detail=score.detail[:300],
            )
    except IntegrityError:
        return run.answers.select_related("question").get(position=position)
    _progress_update(run=run, question=question, correct=score.correct)
    if score.correct:
        xp_award(user=run.user, source=f"quiz:{question.slug}", points=question.xp_points)
    activity_record(user=run.user)
    _badges_after_answer(run.user, question, score.correct)
    if position + 1 == run.size:
        _run_finish(run)
    return recorded


def _badges_after_answer(user, question: Question, correct: bool) -> None:
    badge_award(user=user, badge="first-answer")
    if not correct:
        return
    if QuestionProgress.objects.filter(user=user, times_correct__gt=0).count() >= CENTURY:
        badge_award(user=user, badge="quiz-century")
    topic_questions = Question.objects.filter(topic_id=question.topic_id, is_active=True)
    right_now = QuestionProgress.objects.filter(
        user=user, question__in=topic_questions, last_correct=True
    ).count()
    if right_now == topic_questions.count():
        badge_award(user=user, badge="topic-master")


def _jsonable(answer):
    if isinstance(answer, set | tuple):
        return sorted(answer)
    return answer


def _progress_update(*, run: QuizRun, question: Question, correct: bool) -> None:
    progress, _ = QuestionProgress.objects.select_for_update().get_or_create(
        user=run.user, question=question, defaults={"last_correct": correct}
    )
    progress.last_correct = correct
    progress.times_answered += 1
    progress.times_correct += correct
    # One pass per run: a question answered right again in the same run is no new recall.
    if correct and progress.last_pass_run_id == run.pk:
        progress.save()
        return
    step = review_next(
        box=progress.box,
        due_at=progress.due_at,
        passes=progress.practice_passes,
        in_review=progress.in_practice,
        passed=correct,
        now=timezone.now(),
    )
    if not correct:
        progress.last_pass_run = None
    elif step.passes > progress.practice_passes:
        progress.last_pass_run = run
    progress.box, progress.due_at, progress.practice_passes = step.box, step.due_at, step.passes
    progress.in_practice = step.still_in_review
    progress.save()


def _run_finish(run: QuizRun) -> None:
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    _path_record(run)
    if run.size == RUN_SIZE and not run.answers.filter(correct=False).exists():
        # One bonus per topic per day, so replaying a mastered topic can't farm XP.
        day = timezone.localdate(run.finished_at, run.user.zone).isoformat()
        scope = run.topic.slug if run.topic else run.kind
        xp_award(user=run.user, source=f"quiz-perfect:{scope}:{day}", points=PERFECT_RUN_BONUS)
        badge_award(user=run.user, badge="perfect-run")


def _path_record(run: QuizRun) -> None:
    """Tell the path how a checkpoint or placement run went (the share of answers fully right)."""
    if run.unit is None or run.kind not in (QuizRun.Kind.CHECKPOINT, QuizRun.Kind.PLACEMENT):
        return
    score = run.answers.filter(correct=True).count() / run.size
    if run.kind == QuizRun.Kind.CHECKPOINT:
        unit_checkpoint_record(user=run.user, unit=run.unit, score=score)
    else:
        unit_placement_record(user=run.user, unit=run.unit, score=score)
