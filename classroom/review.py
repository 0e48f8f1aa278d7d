"""What is due for spaced review: missed questions and failed challenges, one summary."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from accounts.models import User
from challenges.models import ChallengeProgress
from challenges.review import review_due, review_waiting
from quiz.models import QuestionProgress


@dataclass(frozen=True)
class ReviewSummary:
    questions_due: int
    questions_waiting: int  # in the practice queue, not due yet
    challenges_due: list[ChallengeProgress]  # each with `failed_at`
    challenges_waiting: int
    next_due_at: datetime | None  # the soonest of what waits

    @property
    def due(self) -> int:
        return self.questions_due + len(self.challenges_due)

    @property
    def waiting(self) -> int:
        return self.questions_waiting + self.challenges_waiting


def review_summary(user: User) -> ReviewSummary:
    now = timezone.now()
    # One pass over the learner's queue: due now, waiting, and the soonest of those waiting.
    questions = QuestionProgress.objects.filter(
        user=user, in_practice=True, question__is_active=True
    ).aggregate(
        due=Count("pk", filter=Q(due_at__lte=now)),
        waiting=Count("pk", filter=Q(due_at__gt=now)),
        next_at=Min("due_at", filter=Q(due_at__gt=now)),
    )
    challenges_waiting, challenge_next = review_waiting(user, now)
    soonest = [at for at in (questions["next_at"], challenge_next) if at is not None]
    return ReviewSummary(
        questions_due=questions["due"],
        questions_waiting=questions["waiting"],
        challenges_due=review_due(user, now),
        challenges_waiting=challenges_waiting,
        next_due_at=min(soonest) if soonest else None,
    )
