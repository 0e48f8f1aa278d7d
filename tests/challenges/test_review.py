"""A failed challenge comes back for review like a missed question (challenges.review)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from challenges.models import ChallengeProgress
from challenges.review import review_due, review_waiting
from challenges.submissions import challenge_submit
from tests.concurrency import run_concurrently
from tests.factories import ChallengeFactory, TwoStepChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db

GET_BOOK = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
WRONG = b"GET /books/2 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"


def _progress(user, challenge) -> ChallengeProgress:
    return ChallengeProgress.objects.get(user=user, challenge=challenge)


def _make_due(user, challenge):
    ChallengeProgress.objects.filter(user=user, challenge=challenge).update(
        review_due_at=timezone.now()
    )


def test_a_failed_attempt_puts_the_challenge_in_review_due_the_next_local_day():
    user = UserFactory(time_zone="Asia/Tokyo")
    challenge = ChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=WRONG)
    progress = _progress(user, challenge)
    assert (progress.in_review, progress.review_box, progress.review_passes) == (True, 1, 0)
    local = timezone.localtime(progress.review_due_at, user.zone)
    today = timezone.localtime(timezone.now(), user.zone).date()
    assert local.date() == today + timedelta(days=1) and local.time() == datetime.min.time()


def test_a_solve_later_the_same_day_does_not_count_as_a_review():
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=WRONG)
    challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    progress = _progress(user, challenge)
    assert progress.status == "solved"
    assert (progress.in_review, progress.review_box, progress.review_passes) == (True, 1, 0)


def test_a_pass_while_due_moves_up_a_box_and_three_leave_review():
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=WRONG)
    for box in (2, 3):
        _make_due(user, challenge)
        challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
        progress = _progress(user, challenge)
        assert (progress.review_box, progress.review_passes) == (box, box - 1)
        assert progress.review_due_at > timezone.now() + timedelta(hours=23)
    _make_due(user, challenge)
    challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    progress = _progress(user, challenge)
    assert (progress.in_review, progress.review_passes, progress.review_due_at) == (False, 3, None)


def test_a_miss_during_review_starts_the_boxes_again():
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=WRONG)
    _make_due(user, challenge)
    challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    challenge_submit(user=user, challenge=challenge, data=WRONG)
    progress = _progress(user, challenge)
    assert (progress.review_box, progress.review_passes, progress.in_review) == (1, 0, True)


def test_a_passed_middle_step_is_not_a_pass_of_the_challenge():
    user, challenge = UserFactory(), TwoStepChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=WRONG)
    _make_due(user, challenge)
    challenge_submit(user=user, challenge=challenge, data=GET_BOOK)  # step 1 of 2
    progress = _progress(user, challenge)
    assert (progress.current_step, progress.review_box, progress.review_passes) == (1, 1, 0)


def test_sending_the_starter_unchanged_is_not_a_failure():
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=challenge.starter.encode())
    assert _progress(user, challenge).in_review is False


def test_never_failed_challenges_stay_out_of_review():
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert _progress(user, challenge).in_review is False


def test_due_and_waiting_lists_are_the_learners_own():
    user, stranger = UserFactory(), UserFactory()
    due, later = ChallengeFactory(), ChallengeFactory()
    for learner in (user, stranger):
        challenge_submit(user=learner, challenge=due, data=WRONG)
        challenge_submit(user=learner, challenge=later, data=WRONG)
    _make_due(user, due)
    rows = review_due(user)
    assert [row.challenge for row in rows] == [due] and rows[0].failed_at is not None
    count, next_at = review_waiting(user)
    assert count == 1 and next_at == _progress(user, later).review_due_at
    assert review_due(stranger) == []


def test_two_simultaneous_due_passes_move_one_box(postgres_only):
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=WRONG)
    _make_due(user, challenge)
    results = run_concurrently(
        lambda: challenge_submit(user=user, challenge=challenge, data=GET_BOOK), times=2
    )
    assert all(not isinstance(result, Exception) for result in results), results
    progress = _progress(user, challenge)
    assert (progress.review_box, progress.review_passes) == (2, 1)
