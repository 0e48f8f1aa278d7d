"""What the TCP sandbox keeps about a learner between requests, and when it must read again.

A learner's keep-alive connection, or the next curl command they run, asks the
same questions on every request: whose key is this, what is in their
bookshop, does today already count as active, do they hold the badge for a
first TCP request. A `LearnerReading` holds those answers, read from the
database once; the sandbox answers from it while it is current:

- its mark is the learner's mark now (accounts.learner_marks: every write of
  the user row, their bookshop, badges or activity renews it);
- the day in the learner's time zone is still the one it counted as active;
- it is younger than READING_SECONDS, so that even a renewal lost with the
  cache cannot keep an old reading in use for long.

`LearnerReadings` is one process's set of them, the most recently used kept,
at most `size`. It is used from the event loop's thread only.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time

from django.utils import timezone

from accounts.learner_marks import learner_mark_read
from accounts.models import BadgeAward, LearnerTotals, User
from accounts.services import activity_record, badge_award
from challenges.services import sandbox_state_for

READING_SECONDS = 30.0
TCP_BADGE = "terminal"


@dataclass(frozen=True)
class LearnerReading:
    user: User
    mark: str | None
    state: dict
    active_day: date  # the day, in the learner's zone, already counted as active
    read_at: float  # time.monotonic()
    day_ends: datetime  # when active_day ends in the learner's zone

    def current(self, mark: str | None, now: datetime) -> bool:
        """Whether requests may be answered from this reading (see the module's rules)."""
        return (
            mark is not None
            and mark == self.mark
            and now < self.day_ends
            and time.monotonic() - self.read_at < READING_SECONDS
        )


def _reading(user: User, mark: str | None, state: dict, today: date) -> LearnerReading:
    tomorrow = datetime.combine(today + timedelta(days=1), dt_time(), tzinfo=user.zone)
    return LearnerReading(user, mark, state, today, time.monotonic(), tomorrow)


def learner_read(key: str, mark: str | None, now: datetime) -> LearnerReading | None:
    """Read the learner with this key (None if no active learner has it), counting today as
    active and giving the first-TCP-request badge on the way.

    Called with the mark fetched before any of this is read. Those two writes
    renew the mark when they change anything, so after one the mark is fetched
    again and everything read again: the reading returned is never older than
    its mark.
    """
    for _ in range(3):
        user = User.objects.filter(sandbox_key=key, is_active=True).first()
        if user is None:
            return None
        today = timezone.localtime(now, user.zone).date()
        wrote = False
        if not BadgeAward.objects.filter(user=user, badge=TCP_BADGE).exists():
            wrote = badge_award(user=user, badge=TCP_BADGE) or wrote
        if user_totals_day(user) != today:
            activity_record(user=user, at=now)
            wrote = True
        if not wrote:
            return _reading(user, mark, sandbox_state_for(user).data, today)
        mark = learner_mark_read(key)
    return _reading(user, None, sandbox_state_for(user).data, today)  # not kept


def user_totals_day(user: User) -> date | None:
    """The last day the learner counted as active (None before their first)."""
    return LearnerTotals.objects.filter(user=user).values_list("last_active_day", flat=True).first()


class LearnerReadings:
    def __init__(self, size: int = 2000):
        self.size = size
        self._readings: OrderedDict[str, LearnerReading] = OrderedDict()

    def get(self, key: str) -> LearnerReading | None:
        reading = self._readings.get(key)
        if reading is not None:
            self._readings.move_to_end(key)
        return reading

    def put(self, key: str, reading: LearnerReading | None) -> None:
        """Keep `reading` for the key (None forgets the key's reading)."""
        if reading is None or reading.mark is None:
            self._readings.pop(key, None)
            return
        self._readings[key] = reading
        self._readings.move_to_end(key)
        while len(self._readings) > self.size:
            self._readings.popitem(last=False)

    def __len__(self) -> int:
        return len(self._readings)
