"""Writes of a challenge attempt: grade a step, record it, and award the solve exactly once.

A learner's attempts on one challenge are serialised by a row lock on their
ChallengeProgress, so a double click or a burst of requests is graded one at
a time. The first full solve inserts a ChallengeSolve (unique per learner and
challenge) and only that insert pays XP, through the ledger's own unique
constraint: two layers, both in the database.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Subquery

from accounts.models import User
from accounts.services import activity_record, badge_award, xp_award
from challenges.counters import counter_bump
from challenges.models import (
    Challenge,
    ChallengeProgress,
    ChallengeSolve,
    RecordedExchange,
    Submission,
)
from challenges.review import review_record
from challenges.sandbox import LIMITS, Outcome
from challenges.sandbox.grading import CheckResult, grade_step
from challenges.services import sandbox_send, sandbox_state_for
from curriculum.services import unit_progress_note_solve

SUBMISSIONS_PER_MINUTE = 20
METHODS_TOPIC = "methods"
FIXES_FOR_BADGE = 10
CONDITIONAL_FIELDS = {"if-none-match", "if-modified-since", "if-match", "if-unmodified-since"}
TCP_EXCHANGES_GRADED = 10


class SubmissionRefused(Exception):
    """The attempt was not run; the message says why, in the learner's terms.

    `status` is the HTTP status the page answers with.
    """

    status = 400


class SubmissionRateLimited(SubmissionRefused):
    status = 429


@dataclass(frozen=True)
class Attempt:
    submission: Submission
    outcome: Outcome | None
    results: list[CheckResult]
    step: int
    solved_now: bool
    xp: int
    progress: ChallengeProgress | None = None  # as saved by this attempt
    exchanges: tuple[RecordedExchange, ...] = ()  # graded, oldest first


def progress_for(user: User, challenge: Challenge) -> ChallengeProgress:
    progress, _ = ChallengeProgress.objects.get_or_create(user=user, challenge=challenge)
    return progress


def _rate_limit(user: User) -> None:
    count = counter_bump(f"challenges:submissions:{user.pk}", timeout=60)
    if count > SUBMISSIONS_PER_MINUTE:
        raise SubmissionRateLimited(
            f"That is more than {SUBMISSIONS_PER_MINUTE} requests in a minute. Like a real API answering "
            "429 Too Many Requests, the sandbox asks you to wait a little before sending again."
        )


def _locked_progress(user: User, challenge: Challenge) -> ChallengeProgress:
    """The learner's progress on the challenge, row-locked until the transaction ends (created
    on first use), with `user` and `challenge` attached so nothing fetches them again."""
    locked = ChallengeProgress.objects.select_for_update()
    try:
        progress = locked.get(user=user, challenge=challenge)
    except ChallengeProgress.DoesNotExist:
        progress = locked.get(pk=progress_for(user, challenge).pk)
    progress.user, progress.challenge = user, challenge
    return progress


def editor_input_admit(
    *, user: User, data: bytes, too_large: type[SubmissionRefused] = SubmissionRefused
) -> None:
    """Refuse, before anything runs, editor bytes that are empty, too many or too often.

    `too_large` is the refusal an oversized request raises (its class carries the status).
    """
    if not data.strip():
        raise SubmissionRefused("There is nothing to send yet: type a request first.")
    if len(data) > LIMITS.input_bytes:
        raise too_large(
            f"That is {len(data):,} bytes; the sandbox takes at most {LIMITS.input_bytes:,} at once."
        )
    _rate_limit(user)


def challenge_submit(*, user: User, challenge: Challenge, data: bytes) -> Attempt:
    """Send the learner's raw bytes from the editor and grade the current step."""
    editor_input_admit(user=user, data=data)
    with transaction.atomic():
        progress = _locked_progress(user, challenge)
        outcome, rows = sandbox_send(user=user, data=data, source=RecordedExchange.Source.EDITOR)
        return _grade(progress, rows, outcome.state, data, RecordedExchange.Source.EDITOR, outcome)


def challenge_grade_tcp(*, user: User, challenge: Challenge) -> Attempt:
    """Grade the current step against the learner's TCP requests sent since the last grading."""
    _rate_limit(user)
    with transaction.atomic():
        progress = _locked_progress(user, challenge)
        recent = RecordedExchange.objects.filter(
            user=user, source=RecordedExchange.Source.TCP, pk__gt=progress.tcp_graded_through
        ).order_by("-pk")[:TCP_EXCHANGES_GRADED]
        rows = sorted(recent, key=lambda row: row.pk)
        if not rows:
            raise SubmissionRefused(
                "No new requests reached the TCP sandbox with your key since your last grading. "
                "Send one with curl or netcat (the command is below), then grade again."
            )
        progress.tcp_graded_through = rows[-1].pk
        raw = b"".join(bytes(row.raw_request) for row in rows)
        return _grade(
            progress, rows, sandbox_state_for(user).data, raw, RecordedExchange.Source.TCP, None
        )


def _grade(progress, rows, state, raw, source, outcome) -> Attempt:
    challenge = progress.challenge
    step = progress.current_step
    previous = _previous_exchange(progress, step)
    results = grade_step(
        challenge.steps[step]["checks"], [row.as_exchange() for row in rows], state, previous
    )
    passed = all(result.passed for result in results)
    practice = progress.status == ChallengeProgress.Status.SOLVED or progress.gave_up
    submission = Submission.objects.create(
        user=progress.user,
        challenge=challenge,
        step=step,
        source=source,
        raw_request=raw,
        passed=passed,
        practice=practice,
        fixed_broken=passed and _previous_attempt_was_broken(progress, step),
        results=[{"check": r.check, "passed": r.passed, "message": r.message} for r in results],
    )
    Submission.exchanges.through.objects.bulk_create(
        Submission.exchanges.through(submission=submission, recordedexchange=row) for row in rows
    )
    progress.attempts += 1
    solved_now, xp = False, 0
    if passed and step + 1 < challenge.step_count:
        progress.current_step = step + 1
    elif passed:
        progress.current_step = 0  # the sequence is done; a replay starts from step 1
        # A solved row already has its ChallengeSolve (both are written together, under
        # this lock), so a replay skips the insert the unique constraint would refuse.
        if progress.status != ChallengeProgress.Status.SOLVED:
            solved_now, xp = _solve(progress)
    if progress.status == ChallengeProgress.Status.NEW:
        progress.status = ChallengeProgress.Status.TRIED
    review_record(progress, passed=passed, completed=step + 1 == challenge.step_count, sent=raw)
    progress.save()
    activity_record(user=progress.user)
    _badges_after_attempt(progress.user, challenge, rows, submission, solved_now)
    return Attempt(submission, outcome, results, step, solved_now, xp, progress, tuple(rows))


def _previous_attempt_was_broken(progress: ChallengeProgress, step: int) -> bool:
    latest = (
        Submission.objects.filter(user=progress.user, challenge=progress.challenge, step=step)
        .order_by("-pk")
        .values_list("pk", "passed")
        .first()
    )
    if latest is None or latest[1]:
        return False  # the usual case, a pass after a pass: one small query
    diagnostics = Submission.exchanges.through.objects.filter(submission_id=latest[0]).values_list(
        "recordedexchange__diagnostics", flat=True
    )
    return any(d["severity"] == "error" for found in diagnostics for d in found)


def _badges_after_attempt(user, challenge, rows, submission, solved_now) -> None:
    if solved_now:
        badge_award(user=user, badge="first-solve")
        if challenge.topic.slug == METHODS_TOPIC:
            unsolved = Challenge.objects.filter(topic=challenge.topic, is_active=True).exclude(
                solves__user=user
            )
            if not unsolved.exists():
                badge_award(user=user, badge="method-actor")
    if any(row.status == 304 for row in rows):
        badge_award(user=user, badge="first-304")
    if any(_is_conditional(row.request_data) for row in rows):
        badge_award(user=user, badge="conditional")
    if submission.fixed_broken:
        fixes = (
            Submission.objects.filter(user=user, fixed_broken=True)
            .values("challenge", "step")
            .distinct()
        )
        if fixes.count() >= FIXES_FOR_BADGE:
            badge_award(user=user, badge="fixer")


def _is_conditional(request_data) -> bool:
    if not request_data:
        return False
    return any(name.lower() in CONDITIONAL_FIELDS for name, _ in request_data["headers"])


def _previous_exchange(progress: ChallengeProgress, step: int):
    """The last exchange of the latest passing submission of the step before, if any."""
    if step == 0:
        return None
    latest = Submission.objects.filter(
        user=progress.user, challenge=progress.challenge, step=step - 1, passed=True
    ).order_by("-pk")[:1]
    last = (
        RecordedExchange.objects.filter(submissions=Subquery(latest.values("pk")))
        .order_by("-pk")
        .first()
    )
    return last.as_exchange() if last else None


def _solve(progress: ChallengeProgress) -> tuple[bool, int]:
    """Record the first solve; return (solved for the first time, XP awarded)."""
    progress.status = ChallengeProgress.Status.SOLVED
    challenge = progress.challenge
    points = 0 if progress.gave_up else challenge.xp_for(progress.hints_revealed)
    try:
        with transaction.atomic():
            ChallengeSolve.objects.create(user=progress.user, challenge=challenge, points=points)
    except IntegrityError:
        return False, 0
    # The path's unit may be complete now (its last challenge, or its checkpoint earlier).
    unit_progress_note_solve(user=progress.user, challenge_slug=challenge.slug)
    if points and xp_award(user=progress.user, source=challenge.xp_source, points=points):
        return True, points
    return True, 0


def challenge_hint_reveal(*, user: User, challenge: Challenge) -> int:
    """Reveal the next hint; return how many are revealed now. Revealing lowers the XP of a later first solve."""
    progress = progress_for(user, challenge)
    ChallengeProgress.objects.filter(
        pk=progress.pk, hints_revealed__lt=len(challenge.hints)
    ).update(hints_revealed=F("hints_revealed") + 1)
    progress.refresh_from_db()
    return progress.hints_revealed


def challenge_give_up(*, user: User, challenge: Challenge) -> ChallengeProgress:
    """Show the solution; an unsolved challenge then earns no XP when solved."""
    progress = progress_for(user, challenge)
    if progress.status != ChallengeProgress.Status.SOLVED:
        ChallengeProgress.objects.filter(pk=progress.pk).update(gave_up=True)
        progress.refresh_from_db()
    return progress


def challenge_restart(*, user: User, challenge: Challenge) -> ChallengeProgress:
    """Go back to step 1 of a multi-step challenge (e.g. after a later step changed the state badly)."""
    progress = progress_for(user, challenge)
    ChallengeProgress.objects.filter(pk=progress.pk).update(current_step=0)
    progress.refresh_from_db()
    return progress
