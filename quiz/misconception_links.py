"""Which misconceptions a quiz answer reveals: pure and total, like scoring.

A question names misconceptions in its data (quiz.questions validates them):
- a single-choice option: choosing that option reveals it;
- a multi-select option: getting that option wrong reveals it (ticking a
  wrong one, or leaving a right one unticked);
- a truefalse or spot_line question: any wrong answer reveals it.
Answers have the shapes listed in quiz.questions' docstring; a malformed
answer reveals nothing rather than raising, since answers come from the network.
"""

from collections.abc import Iterable

from quiz.scoring import _is_index

__all__ = ["linked_misconceptions", "revealed_by_answer"]


def linked_misconceptions(question: dict) -> list[str]:
    """Every misconception `question` can reveal, once each, in the order the file gives them."""
    slugs = [question.get("misconception")]
    slugs += [option.get("misconception") for option in question.get("options", ())]
    return list(dict.fromkeys(slug for slug in slugs if slug))


def revealed_by_answer(question: dict, answer) -> list[str]:
    """The misconceptions that `answer` to `question` reveals, once each, in file order."""
    kind = question["type"]
    if kind == "single":
        revealed = _single(question["options"], answer)
    elif kind == "multi":
        revealed = _multi(question["options"], answer)
    elif kind == "truefalse":
        wrong = isinstance(answer, bool) and answer != question["answer"]
        revealed = [question.get("misconception")] if wrong else []
    elif kind == "spot_line":
        wrong = _is_index(answer) and answer != question["answer_line"]
        revealed = [question.get("misconception")] if wrong else []
    else:
        revealed = []
    return list(dict.fromkeys(slug for slug in revealed if slug))


def _single(options, answer):
    if not _is_index(answer) or not 0 <= answer < len(options):
        return []
    chosen = options[answer]
    return [] if chosen["correct"] else [chosen.get("misconception")]


def _multi(options, answer):
    if isinstance(answer, str | bytes) or not isinstance(answer, Iterable):
        return []
    try:
        ticked = set(answer)
    except TypeError:  # unhashable items
        return []
    if not all(_is_index(index) and 0 <= index < len(options) for index in ticked):
        return []
    return [
        option.get("misconception")
        for index, option in enumerate(options)
        if (index in ticked) != option["correct"]
    ]
