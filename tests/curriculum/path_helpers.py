"""Small units for the path's tests, and ways to pass their steps through the real services."""

from challenges.submissions import challenge_submit
from quiz.questions import correct_answer
from quiz.services import quiz_answer_submit, quiz_checkpoint_start, quiz_placement_start
from tests.factories import ChallengeFactory, QuestionFactory, UnitFactory

GET_BOOK = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"


def path_of(count: int, questions: int = 5, challenges: int = 1):
    """`count` active units numbered 1.., each with its own questions and challenges."""
    units = []
    for number in range(1, count + 1):
        asked = [QuestionFactory(slug=f"u{number}-q{i}").slug for i in range(questions)]
        solved = [ChallengeFactory(slug=f"u{number}-c{i}").slug for i in range(challenges)]
        units.append(
            UnitFactory(
                slug=f"unit-{number}",
                number=number,
                checkpoint_questions=asked,
                checkpoint_challenges=solved,
            )
        )
    return units


def answer_run(run, *, wrong: int = 0):
    """Answer every question of `run`, the first `wrong` of them wrongly; return the finished run."""
    from quiz.models import Question

    for position, question_id in enumerate(run.question_ids):
        data = Question.objects.get(pk=question_id).data
        right = correct_answer(data)
        answer = right if position >= wrong else _wrong_answer(data, right)
        quiz_answer_submit(run=run, position=position, answer=answer)
    run.refresh_from_db()
    return run


def _wrong_answer(data, right):
    if data["type"] == "single":
        return next(i for i in range(len(data["options"])) if i != right)
    if data["type"] == "truefalse":
        return not right
    raise ValueError(f"no wrong answer prepared for {data['type']}")


def pass_checkpoint(user, unit, *, wrong: int = 0):
    return answer_run(quiz_checkpoint_start(user=user, unit=unit), wrong=wrong)


def take_placement(user, unit, *, wrong: int = 0):
    return answer_run(quiz_placement_start(user=user, unit=unit), wrong=wrong)


def solve_challenges(user, unit):
    from challenges.models import Challenge

    for slug in unit.checkpoint_challenges:
        challenge_submit(user=user, challenge=Challenge.objects.get(slug=slug), data=GET_BOOK)
