"""Spaced review, one rule for quiz questions and challenges: Leitner boxes.

A miss puts the item in box 1. A pass while the item is due moves it up a box
and further out (INTERVALS); PASSES_TO_LEAVE such passes and it leaves review.
A pass while the item is not yet due changes nothing: the learner still
remembers it from a moment ago, which says little about next week.

Pure: no database, no clock. quiz.services and challenges.review keep the
state on their own progress rows and call review_next() under a row lock.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

__all__ = ["INTERVALS", "PASSES_TO_LEAVE", "ReviewStep", "review_next"]

PASSES_TO_LEAVE = 3
# How long after a pass an item in box N comes due again.
INTERVALS = {1: timedelta(0), 2: timedelta(days=1), 3: timedelta(days=3)}
TOP_BOX = max(INTERVALS)


class ReviewStep(NamedTuple):
    box: int
    due_at: datetime | None
    passes: int
    still_in_review: bool


def review_next(
    *,
    box: int,
    due_at: datetime | None,
    passes: int,
    in_review: bool,
    passed: bool,
    now: datetime,
    due_after_miss: datetime | None = None,
) -> ReviewStep:
    """The review state after one result.

    `due_after_miss` is when a missed item comes due (default: `now`, as a
    missed question is at once); the caller chooses it, since what "soon"
    means differs between a question and a challenge. Leaving review keeps
    the pass count, so a learner's record says how it left.
    """
    if not passed:
        return ReviewStep(1, due_after_miss or now, 0, True)
    if not in_review or due_at is None or due_at > now:
        return ReviewStep(box, due_at, passes, in_review)
    passes += 1
    if passes >= PASSES_TO_LEAVE:
        return ReviewStep(0, None, passes, False)
    box = min(box + 1, TOP_BOX)
    return ReviewStep(box, now + INTERVALS[box], passes, True)
