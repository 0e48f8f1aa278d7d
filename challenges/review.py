"""Spaced review of challenges: a failed challenge comes back like a missed question.

The rule is curriculum.review's (Leitner boxes, three passes to leave). What a
"result" is for a challenge:
- a miss is any graded attempt that did not pass, at any step, except sending
  the challenge's starter unchanged (that is looking at the starter's mistake,
  not making one; challenges.misconception_links reasons the same way);
- a pass is completing the challenge: passing its last step.

A missed challenge is due at the start of the learner's next day, not at once
as a missed question is. Learners fix a failed request a minute later in the
same sitting, with the error message still on screen: that solve is recall
from the last minute, so it must not count as a review. Only a solve on a
later day, when the challenge is due, moves it up a box.

The caller (challenges.submissions) holds a row lock on the ChallengeProgress,
so two simultaneous passes are applied one after the other: the second finds
the challenge no longer due and changes nothing.
"""

from datetime import datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from challenges.models import ChallengeProgress, Submission
from curriculum.review import review_next

__all__ = ["review_due", "review_record", "review_waiting"]


def review_record(progress: ChallengeProgress, *, passed: bool, completed: bool, sent) -> None:
    """Apply one graded attempt to `progress` (locked by the caller, saved by the caller)."""
    if not passed and _is_starter(progress.challenge.starter, sent):
        return
    if passed and not completed:
        return  # a middle step passed: the challenge is not done yet
    now = timezone.now()
    step = review_next(
        box=progress.review_box,
        due_at=progress.review_due_at,
        passes=progress.review_passes,
        in_review=progress.in_review,
        passed=passed,
        now=now,
        due_after_miss=_next_local_day(now, progress.user),
    )
    progress.review_box, progress.review_due_at = step.box, step.due_at
    progress.review_passes, progress.in_review = step.passes, step.still_in_review


def _next_local_day(now: datetime, user: User) -> datetime:
    """Midnight at the start of the learner's next day, in their own time zone."""
    zone = user.zone
    tomorrow = timezone.localtime(now, zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time.min, tzinfo=zone)


def _is_starter(starter: str, sent) -> bool:
    if isinstance(sent, bytes | memoryview):
        sent = bytes(sent).decode("utf-8", errors="replace")
    return bool(starter.strip()) and _text(sent) == _text(starter)


def _text(request: str) -> str:
    return request.replace("\r\n", "\n").rstrip()


def _in_review(user: User):
    return ChallengeProgress.objects.filter(
        user=user, in_review=True, challenge__is_active=True
    ).select_related("challenge__topic")


def review_due(user: User, now: datetime | None = None) -> list[ChallengeProgress]:
    """The learner's challenges due for review, oldest due first, each with `failed_at`
    (when it was last failed)."""
    now = now or timezone.now()
    due = list(
        _in_review(user)
        .filter(review_due_at__lte=now)
        .order_by("review_due_at", "challenge__title")
    )
    failed = dict(
        Submission.objects.filter(
            user=user, passed=False, challenge__in=[progress.challenge_id for progress in due]
        )
        .values_list("challenge")
        .annotate(at=Max("created_at"))
    )
    for progress in due:
        progress.failed_at = failed.get(progress.challenge_id)
    return due


def review_waiting(user: User, now: datetime | None = None) -> tuple[int, datetime | None]:
    """How many of the learner's challenges wait in review but are not due yet, and the next due time."""
    later = _in_review(user).filter(review_due_at__gt=now or timezone.now())
    return later.count(), later.order_by("review_due_at").values_list(
        "review_due_at", flat=True
    ).first()
