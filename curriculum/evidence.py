"""One piece of evidence that a learner may hold a misconception, whatever room it came from.

quiz and challenges build these from their own rows (they import curriculum;
curriculum imports neither); classroom.beliefs combines and ranks them.
"""

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Evidence"]


@dataclass(frozen=True)
class Evidence:
    misconception: str  # the slug it reveals
    source: str  # "answer", "check" or "request"
    at: datetime
    title: str  # what the learner did, in a line
    detail: str  # what it showed
    url: str  # where to look at it again ("" when there is no page for it)
