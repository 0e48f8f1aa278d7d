"""What is due for spaced review: missed questions and failed challenges, one summary."""

from dataclasses import dataclass
from datetime import datetime

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
    queue = QuestionProgress.objects.filter(user=user, in_practice=True, question__is_active=True)
    questions_due = queue.filter(due_at__lte=now).count()
    later = queue.filter(due_at__gt=now)
    question_next = later.order_by("due_at").values_list("due_at", flat=True).first()
    challenges_waiting, challenge_next = review_waiting(user, now)
    soonest = [at for at in (question_next, challenge_next) if at is not None]
    return ReviewSummary(
        questions_due=questions_due,
        questions_waiting=later.count(),
        challenges_due=review_due(user, now),
        challenges_waiting=challenges_waiting,
        next_due_at=min(soonest) if soonest else None,
    )
