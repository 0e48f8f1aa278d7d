"""Belief runs: a quiz run of the questions that can reveal one misconception.

The dashboard's "Practise this" starts one (classroom.beliefs says which
misconceptions a learner's work reveals). Answers are recorded like any
run's, so a miss here enters the practice queue too.
"""

import random

from accounts.models import User
from curriculum.models import Misconception
from quiz.misconception_links import linked_misconceptions
from quiz.models import Question, QuizRun
from quiz.services import RUN_SIZE, QuizError, _shuffled_layout

NOTHING_TO_ASK = (
    "No quiz question practises this belief yet. Read the correction and its RFC section, "
    "or try the challenges listed with it."
)


def belief_questions(misconception: Misconception) -> list[Question]:
    """The active questions whose options (or the question itself) can reveal `misconception`."""
    return [
        question
        for question in Question.objects.filter(is_active=True)
        if misconception.slug in linked_misconceptions(question.data)
    ]


def quiz_belief_start(
    *, user: User, misconception: Misconception, rng: random.Random | None = None
) -> QuizRun:
    """Resume the learner's unfinished run on `misconception`, or start one of up to RUN_SIZE
    of its questions. Raises QuizError when no active question links it."""
    unfinished = QuizRun.objects.filter(
        user=user, kind=QuizRun.Kind.BELIEF, misconception=misconception, finished_at__isnull=True
    ).first()
    if unfinished is not None:
        return unfinished
    rng = rng or random.Random()
    pool = belief_questions(misconception)
    if not pool:
        raise QuizError(NOTHING_TO_ASK)
    questions = rng.sample(pool, min(RUN_SIZE, len(pool)))
    return QuizRun.objects.create(
        user=user,
        kind=QuizRun.Kind.BELIEF,
        misconception=misconception,
        question_ids=[question.pk for question in questions],
        layout={str(question.pk): _shuffled_layout(question, rng) for question in questions},
    )
