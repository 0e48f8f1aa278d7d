"""The placement check: skip ahead at 80% or more, nothing changes below."""

import random

import pytest

from curriculum.models import UnitProgress
from curriculum.selectors import Status, path_standings
from curriculum.signals import unit_completed
from quiz.models import Question, QuizRun
from quiz.services import PLACEMENT_SIZE, QuizError, quiz_placement_start
from tests.concurrency import run_concurrently
from tests.curriculum.path_helpers import pass_checkpoint, path_of, take_placement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def completions():
    seen = []

    def receiver(sender, user, unit, via, **kwargs):
        seen.append((unit.number, via))

    unit_completed.connect(receiver, dispatch_uid="test-placement-completions")
    yield seen
    unit_completed.disconnect(dispatch_uid="test-placement-completions")


def _units_asked(run):
    slugs = Question.objects.filter(pk__in=run.question_ids).values_list("slug", flat=True)
    return sorted({slug.split("-")[0] for slug in slugs})


def test_placement_draws_from_every_unit_before_the_target():
    units = path_of(4, questions=6)
    run = quiz_placement_start(user=UserFactory(), unit=units[3], rng=random.Random(1))
    assert (run.kind, run.unit) == (QuizRun.Kind.PLACEMENT, units[3])
    assert _units_asked(run) == ["u1", "u2", "u3"]
    assert run.size == 12  # four from each of the three units


def test_placement_never_asks_more_than_the_limit():
    units = path_of(8, questions=3)
    run = quiz_placement_start(user=UserFactory(), unit=units[7])
    assert run.size <= PLACEMENT_SIZE
    assert _units_asked(run) == [f"u{n}" for n in range(1, 8)]


def test_passing_placement_completes_the_earlier_units_and_opens_the_target(completions):
    units = path_of(4)
    user = UserFactory()
    take_placement(user, units[2])
    assert [s.status for s in path_standings(user)] == [
        Status.COMPLETE,
        Status.COMPLETE,
        Status.CURRENT,
        Status.LOCKED,
    ]
    assert completions == [(1, "placement"), (2, "placement")]
    rows = UnitProgress.objects.filter(user=user, completed_at__isnull=False)
    assert {(row.completed_via, row.celebrated) for row in rows} == {("placement", True)}


def test_failing_placement_changes_nothing(completions):
    units = path_of(3)
    user = UserFactory()
    run = take_placement(user, units[2], wrong=3)  # 7 of 10
    assert run.finished_at is not None
    assert [s.status for s in path_standings(user)] == [
        Status.CURRENT,
        Status.LOCKED,
        Status.LOCKED,
    ]
    assert completions == []
    assert not UnitProgress.objects.filter(user=user, completed_at__isnull=False).exists()


def test_placement_does_not_redo_a_unit_already_complete(completions):
    units = path_of(3)
    user = UserFactory()
    take_placement(user, units[1])
    take_placement(user, units[2])
    assert completions == [(1, "placement"), (2, "placement")]


def test_placement_to_an_open_unit_is_refused():
    units = path_of(2)
    user = UserFactory()
    with pytest.raises(QuizError, match="already open"):
        quiz_placement_start(user=user, unit=units[0])
    assert not QuizRun.objects.filter(user=user).exists()


def test_an_unfinished_placement_run_resumes():
    units = path_of(3)
    user = UserFactory()
    run = quiz_placement_start(user=user, unit=units[2])
    assert quiz_placement_start(user=user, unit=units[2]) == run


def test_checkpoint_progress_survives_a_failed_placement():
    units = path_of(2)
    user = UserFactory()
    pass_checkpoint(user, units[0], wrong=1)
    take_placement(user, units[1], wrong=5)
    row = UnitProgress.objects.get(user=user, unit=units[0])
    assert row.checkpoint_best == 0.8 and row.completed_at is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_finishes_complete_each_unit_once(postgres_only, completions):
    from curriculum.services import unit_placement_record

    units = path_of(3)
    user = UserFactory()
    results = run_concurrently(
        lambda: len(unit_placement_record(user=user, unit=units[2], score=1.0)), times=5
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(completions) == [(1, "placement"), (2, "placement")]
    assert sum(results) == 2
