import pytest

from accounts.models import XpAward
from challenges.models import ChallengeProgress, ChallengeSolve, RecordedExchange, Submission
from challenges.services import sandbox_send
from challenges.submissions import (
    SUBMISSIONS_PER_MINUTE,
    SubmissionRefused,
    challenge_give_up,
    challenge_grade_tcp,
    challenge_hint_reveal,
    challenge_submit,
)
from tests.concurrency import run_concurrently
from tests.factories import ChallengeFactory, TwoStepChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db

GET_BOOK = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"


def test_correct_request_solves_and_awards_points_once():
    user, challenge = UserFactory(), ChallengeFactory(points=20)
    attempt = challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert attempt.submission.passed and attempt.solved_now and attempt.xp == 20
    again = challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert again.submission.passed and not again.solved_now and again.xp == 0
    assert again.submission.practice is True
    assert ChallengeSolve.objects.filter(user=user).count() == 1
    assert XpAward.objects.get(user=user, source=challenge.xp_source).points == 20


def test_wrong_request_explains_each_failed_check_and_marks_tried():
    user, challenge = UserFactory(), ChallengeFactory()
    attempt = challenge_submit(
        user=user, challenge=challenge, data=b"GET /books/2 HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    assert not attempt.submission.passed
    messages = [r.message for r in attempt.results if not r.passed]
    assert messages == ["Your request-target is /books/2, but this step needs /books/1."]
    assert ChallengeProgress.objects.get(user=user).status == "tried"
    assert not XpAward.objects.filter(source__startswith="challenge:").exists()


def test_submission_records_the_exchange_bytes():
    user, challenge = UserFactory(), ChallengeFactory()
    attempt = challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    (row,) = attempt.submission.exchanges.all()
    assert bytes(row.raw_request) == GET_BOOK
    assert bytes(row.raw_response).startswith(b"HTTP/1.1 200 OK\r\n")
    assert row.source == RecordedExchange.Source.EDITOR


def test_two_step_challenge_keeps_state_and_grades_the_sequence():
    user, challenge = UserFactory(), TwoStepChallengeFactory(points=30)
    first = challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert first.submission.passed and not first.solved_now and first.step == 0
    etag = first.outcome.exchanges[0].response.header("ETag")
    without = challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert without.step == 1 and not without.submission.passed
    assert "no If-None-Match header" in without.results[0].message
    request = f"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\nIf-None-Match: {etag}\r\n\r\n".encode()
    second = challenge_submit(user=user, challenge=challenge, data=request)
    assert second.submission.passed and second.solved_now and second.xp == 30


def test_hints_lower_the_xp():
    user, challenge = UserFactory(), ChallengeFactory(points=20)
    challenge_hint_reveal(user=user, challenge=challenge)
    assert challenge_submit(user=user, challenge=challenge, data=GET_BOOK).xp == 15


def test_hints_never_take_the_xp_below_the_floor():
    user, challenge = UserFactory(), ChallengeFactory(points=15)
    assert challenge_hint_reveal(user=user, challenge=challenge) == 1
    assert challenge_hint_reveal(user=user, challenge=challenge) == 2
    assert challenge_hint_reveal(user=user, challenge=challenge) == 2  # there are only two
    attempt = challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert attempt.xp == challenge.xp_floor == 3


def test_giving_up_forfeits_the_xp_but_still_counts_the_solve():
    user, challenge = UserFactory(), ChallengeFactory()
    assert challenge_give_up(user=user, challenge=challenge).gave_up
    attempt = challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert attempt.solved_now and attempt.xp == 0
    assert not XpAward.objects.filter(source__startswith="challenge:").exists()


def test_giving_up_after_solving_changes_nothing():
    user, challenge = UserFactory(), ChallengeFactory()
    challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert challenge_give_up(user=user, challenge=challenge).gave_up is False


@pytest.mark.parametrize(
    "data, message",
    [(b"  \r\n", "nothing to send"), (b"x" * (64 * 1024 + 1), "at most 65,536")],
)
def test_refused_input_records_nothing(data, message):
    user, challenge = UserFactory(), ChallengeFactory()
    with pytest.raises(SubmissionRefused, match=message):
        challenge_submit(user=user, challenge=challenge, data=data)
    assert not Submission.objects.exists() and not RecordedExchange.objects.exists()


def test_rate_limit_refuses_and_records_nothing_over_the_limit():
    user, challenge = UserFactory(), ChallengeFactory()
    for _ in range(SUBMISSIONS_PER_MINUTE):
        challenge_submit(
            user=user, challenge=challenge, data=b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
        )
    with pytest.raises(SubmissionRefused, match="429"):
        challenge_submit(user=user, challenge=challenge, data=GET_BOOK)
    assert Submission.objects.count() == SUBMISSIONS_PER_MINUTE
    assert not ChallengeSolve.objects.exists()


def test_tcp_exchanges_are_graded_once():
    user, challenge = UserFactory(), ChallengeFactory()
    with pytest.raises(SubmissionRefused, match="No new requests"):
        challenge_grade_tcp(user=user, challenge=challenge)
    sandbox_send(user=user, data=GET_BOOK, source=RecordedExchange.Source.TCP)
    attempt = challenge_grade_tcp(user=user, challenge=challenge)
    assert attempt.submission.passed and attempt.solved_now
    assert attempt.submission.source == "tcp"
    with pytest.raises(SubmissionRefused, match="No new requests"):
        challenge_grade_tcp(user=user, challenge=challenge)


def test_twenty_concurrent_correct_submissions_make_one_solve_and_one_award(postgres_only):
    user, challenge = UserFactory(), ChallengeFactory(points=25)
    results = run_concurrently(
        lambda: challenge_submit(user=user, challenge=challenge, data=GET_BOOK), times=20
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.solved_now for r in results) == 1
    assert ChallengeSolve.objects.filter(user=user, challenge=challenge).count() == 1
    assert list(
        XpAward.objects.filter(user=user, source__startswith="challenge:").values_list(
            "points", flat=True
        )
    ) == [25]
    assert Submission.objects.filter(user=user).count() == 20
