"""The shared Leitner rule, on its own: no database, no clock."""

from datetime import UTC, datetime, timedelta

from curriculum.review import INTERVALS, PASSES_TO_LEAVE, ReviewStep, review_next

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def _after(passed, *, box=1, due_at=NOW, passes=0, in_review=True, **extra):
    return review_next(
        box=box, due_at=due_at, passes=passes, in_review=in_review, passed=passed, now=NOW, **extra
    )


def test_a_miss_puts_an_item_in_box_one_due_at_once_by_default():
    assert _after(False, box=0, due_at=None, in_review=False) == ReviewStep(1, NOW, 0, True)


def test_a_miss_is_due_when_the_caller_says():
    tomorrow = NOW + timedelta(hours=9)
    assert _after(False, due_after_miss=tomorrow) == ReviewStep(1, tomorrow, 0, True)


def test_a_miss_in_a_high_box_starts_the_boxes_again():
    assert _after(False, box=3, passes=2) == ReviewStep(1, NOW, 0, True)


def test_a_due_pass_moves_up_a_box_and_further_out():
    assert _after(True) == ReviewStep(2, NOW + INTERVALS[2], 1, True)
    assert _after(True, box=2, passes=1) == ReviewStep(3, NOW + INTERVALS[3], 2, True)
    assert INTERVALS[3] > INTERVALS[2] > INTERVALS[1]


def test_the_last_pass_leaves_review_and_keeps_the_count():
    assert _after(True, box=3, passes=PASSES_TO_LEAVE - 1) == ReviewStep(
        0, None, PASSES_TO_LEAVE, False
    )


def test_a_pass_before_the_item_is_due_changes_nothing():
    later = NOW + timedelta(seconds=1)
    assert _after(True, box=2, due_at=later, passes=1) == ReviewStep(2, later, 1, True)


def test_a_pass_of_an_item_not_in_review_changes_nothing():
    assert _after(True, box=0, due_at=None, in_review=False) == ReviewStep(0, None, 0, False)
