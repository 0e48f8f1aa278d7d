"""Unit standing, unlocking and exactly-once completion, through the real quiz and challenge services."""

import pytest

from challenges.models import Challenge
from challenges.submissions import challenge_submit
from curriculum.models import UnitProgress
from curriculum.selectors import Status, continue_point, path_standings, unit_standing
from curriculum.services import (
    unit_celebrate,
    unit_checkpoint_record,
    unit_lesson_mark_read,
    unit_progress_note_solve,
)
from curriculum.signals import unit_completed
from quiz.models import Question, QuizRun
from quiz.services import QuizError, quiz_checkpoint_start
from tests.concurrency import run_concurrently
from tests.curriculum.path_helpers import GET_BOOK, pass_checkpoint, path_of, solve_challenges
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def completions():
    """Every unit_completed signal sent during the test, as (username, unit slug, via)."""
    seen = []

    def receiver(sender, user, unit, via, **kwargs):
        seen.append((user.username, unit.slug, via))

    unit_completed.connect(receiver, dispatch_uid="test-completions")
    yield seen
    unit_completed.disconnect(dispatch_uid="test-completions")


def test_a_new_learner_has_unit_one_current_and_the_rest_locked():
    path_of(3)
    statuses = [standing.status for standing in path_standings(UserFactory())]
    assert statuses == [Status.CURRENT, Status.LOCKED, Status.LOCKED]


def test_steps_are_lesson_checkpoint_then_one_per_challenge():
    unit = path_of(1, challenges=2)[0]
    steps = unit_standing(UserFactory(), unit).steps
    assert [(s.number, s.kind) for s in steps] == [
        (1, "lesson"),
        (2, "checkpoint"),
        (3, "challenge"),
        (4, "challenge"),
    ]
    assert steps[2].label == "Solve “U1 C0”" and steps[2].url == "/challenges/u1-c0/"


def test_marking_the_lesson_read_twice_keeps_the_first_time():
    unit, user = path_of(1)[0], UserFactory()
    first = unit_lesson_mark_read(user=user, unit=unit).lesson_done_at
    assert unit_lesson_mark_read(user=user, unit=unit).lesson_done_at == first
    assert unit_standing(user, unit).steps[0].done


def test_checkpoint_keeps_the_best_score_and_counts_attempts():
    unit, user = path_of(1)[0], UserFactory()
    unit_checkpoint_record(user=user, unit=unit, score=0.6)
    unit_checkpoint_record(user=user, unit=unit, score=0.4)
    row = UnitProgress.objects.get(user=user, unit=unit)
    assert (row.checkpoint_best, row.checkpoint_attempts) == (0.6, 2)


def test_a_score_outside_zero_to_one_is_refused_and_changes_nothing():
    unit, user = path_of(1)[0], UserFactory()
    with pytest.raises(ValueError):
        unit_checkpoint_record(user=user, unit=unit, score=1.5)
    assert not UnitProgress.objects.filter(user=user).exists()


def test_passing_the_checkpoint_alone_does_not_complete_the_unit(completions):
    unit, user = path_of(1)[0], UserFactory()
    pass_checkpoint(user, unit)
    standing = unit_standing(user, unit)
    assert standing.checkpoint_passed and not standing.complete
    assert completions == []


def test_checkpoint_then_last_challenge_completes_the_unit_once(completions):
    first, second = path_of(2)
    user = UserFactory()
    pass_checkpoint(user, first)
    solve_challenges(user, first)
    assert completions == [(user.username, first.slug, "path")]
    assert [s.status for s in path_standings(user)] == [Status.COMPLETE, Status.CURRENT]
    # Solving again (practice) sends nothing more.
    challenge_submit(user=user, challenge=Challenge.objects.get(slug="u1-c0"), data=GET_BOOK)
    assert len(completions) == 1


def test_challenges_first_then_checkpoint_completes_the_unit(completions):
    unit, user = path_of(1)[0], UserFactory()
    solve_challenges(user, unit)
    assert completions == []
    pass_checkpoint(user, unit)
    assert completions == [(user.username, unit.slug, "path")]
    assert UnitProgress.objects.get(user=user, unit=unit).completed_via == "path"


def test_a_checkpoint_under_eighty_percent_does_not_pass(completions):
    unit, user = path_of(1)[0], UserFactory()
    solve_challenges(user, unit)
    run = pass_checkpoint(user, unit, wrong=2)  # 3 of 5: 60%
    assert run.finished_at is not None
    assert not unit_standing(user, unit).checkpoint_passed
    assert completions == []


def test_a_solve_of_a_challenge_in_no_unit_changes_nothing():
    path_of(1)
    user = UserFactory()
    assert unit_progress_note_solve(user=user, challenge_slug="not-in-any-unit") == []
    assert not UnitProgress.objects.filter(user=user).exists()


def test_a_locked_units_checkpoint_is_refused():
    _, second = path_of(2)
    user = UserFactory()
    with pytest.raises(QuizError, match="opens when you complete the unit before it"):
        quiz_checkpoint_start(user=user, unit=second)
    assert not QuizRun.objects.filter(user=user).exists()


def test_a_checkpoint_run_asks_every_checkpoint_question_once():
    unit, user = path_of(1, questions=7)[0], UserFactory()
    run = quiz_checkpoint_start(user=user, unit=unit)
    asked = set(Question.objects.filter(pk__in=run.question_ids).values_list("slug", flat=True))
    assert asked == set(unit.checkpoint_questions) and run.size == 7
    assert (run.kind, run.unit) == (QuizRun.Kind.CHECKPOINT, unit)
    assert quiz_checkpoint_start(user=user, unit=unit) == run  # an unfinished run resumes


def test_continue_point_walks_the_steps_then_the_next_unit():
    first, second = path_of(2)
    user = UserFactory()
    point = continue_point(user)
    assert (point.unit, point.step.number, point.step.kind) == (first, 1, "lesson")
    unit_lesson_mark_read(user=user, unit=first)
    assert continue_point(user).step.kind == "checkpoint"
    assert continue_point(user).url == "/learn/unit-1/#checkpoint"
    pass_checkpoint(user, first)
    assert continue_point(user).step.url == "/challenges/u1-c0/"
    solve_challenges(user, first)
    point = continue_point(user)
    assert (point.unit, point.step.number) == (second, 1)


def test_continue_point_is_none_when_every_unit_is_complete():
    (unit,) = path_of(1)
    user = UserFactory()
    pass_checkpoint(user, unit)
    solve_challenges(user, unit)
    assert continue_point(user) is None


def test_the_moment_is_celebrated_once_and_only_after_completion():
    (unit,) = path_of(1)
    user = UserFactory()
    unit_lesson_mark_read(user=user, unit=unit)
    assert unit_celebrate(user=user, unit=unit) is False
    pass_checkpoint(user, unit)
    solve_challenges(user, unit)
    assert unit_celebrate(user=user, unit=unit) is True
    assert unit_celebrate(user=user, unit=unit) is False


def test_an_anonymous_visitor_sees_the_path_as_a_new_learner():
    from django.contrib.auth.models import AnonymousUser

    path_of(2)
    standings = path_standings(AnonymousUser())
    assert [s.status for s in standings] == [Status.CURRENT, Status.LOCKED]
    assert standings[0].steps[2].label == "Solve “U1 C0”"


@pytest.mark.django_db(transaction=True)
def test_concurrent_completions_send_the_signal_once(postgres_only, completions):
    (unit,) = path_of(1)
    user = UserFactory()
    solve_challenges(user, unit)
    results = run_concurrently(
        lambda: unit_checkpoint_record(user=user, unit=unit, score=1.0), times=6
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count(True) == 1
    assert completions == [(user.username, unit.slug, "path")]
    row = UnitProgress.objects.get(user=user, unit=unit)
    assert row.checkpoint_attempts == 6 and row.completed_at is not None
