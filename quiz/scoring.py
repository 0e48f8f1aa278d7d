"""Scoring of quiz answers: pure and total.

Answers arrive from the network, so score_answer() never raises on a malformed
answer; it returns a Score saying what was wrong. The answer shapes are listed
in quiz.questions' docstring.
"""

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import NamedTuple

__all__ = ["Score", "correct_answer", "normalize_typed_answer", "score_answer"]

# RFC 9110 §15 names that differ from the (older) phrases in Python's HTTPStatus;
# both count, so "413 Payload Too Large" is as good as "413 Content Too Large".
_RFC_9110_PHRASES = {
    413: ["content too large", "payload too large"],
    414: ["uri too long"],
    416: ["range not satisfiable"],
    422: ["unprocessable content"],
}


class Score(NamedTuple):
    correct: bool
    fraction: float
    detail: str


def normalize_typed_answer(text: str) -> str:
    """Normalise a typed answer for comparison.

    Rules, in order: strip surrounding whitespace; drop one trailing period;
    drop one pair of surrounding backticks or quotes (`ETag`, "ETag", 'ETag'),
    and a trailing period inside them; drop one trailing colon (a header name
    typed as "Allow:"); case-fold; collapse each run of inner whitespace to a
    single space. On top of this, _accepted_forms() lets a status
    code be typed with its reason phrase ("404 Not Found" where "404" is accepted).
    """
    text = text.strip().removesuffix(".").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "`\"'":
        text = text[1:-1].strip().removesuffix(".")
    text = text.removesuffix(":").strip()
    return " ".join(text.casefold().split())


def _accepted_forms(accept):
    """Every normalised form that counts, adding "<code> <reason phrase>" for status codes."""
    forms = set()
    for value in accept:
        value = normalize_typed_answer(value)
        forms.add(value)
        forms.update(f"{value} {phrase}" for phrase in _reason_phrases(value))
    return forms


def _reason_phrases(code):
    """The normalised reason phrases a status code may be typed with, or none."""
    if len(code) != 3 or not code.isdigit():
        return []
    try:
        status = HTTPStatus(int(code))
    except ValueError:
        return []
    return [status.phrase.casefold(), *_RFC_9110_PHRASES.get(status.value, [])]


def _is_index(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _bad(detail):
    return Score(False, 0.0, detail)


def _index_problem(value, count, noun):
    if value is None:
        return f"No {noun} was given."
    if not _is_index(value):
        return f"Expected a {noun} number, got {type(value).__name__}."
    if not 0 <= value < count:
        return f"There is no {noun} {value}; valid numbers are 0 to {count - 1}."
    return None


def _score_single(question, answer):
    problem = _index_problem(answer, len(question["options"]), "option")
    if problem:
        return _bad(problem)
    if question["options"][answer]["correct"]:
        return Score(True, 1.0, "Right: that is the correct option.")
    return Score(False, 0.0, "Not quite: that option is not the correct one.")


def _score_multi(question, answer):
    options = question["options"]
    if answer is None:
        return _bad("No selection was given.")
    if isinstance(answer, str | bytes | Mapping) or not isinstance(answer, Iterable):
        return _bad(f"Expected a list of option numbers, got {type(answer).__name__}.")
    chosen = set()
    for value in list(answer):
        problem = _index_problem(value, len(options), "option")
        if problem:
            return _bad(problem)
        chosen.add(value)
    right = {i for i, option in enumerate(options) if option["correct"]}
    hits, misses = len(chosen & right), len(chosen - right)
    fraction = max(0.0, (hits - misses) / len(right))
    detail = f"{hits} of {len(right)} right options, {misses} wrong"
    return Score(chosen == right, fraction, detail)


def _score_truefalse(question, answer):
    if not isinstance(answer, bool):
        return _bad(f"Expected true or false, got {type(answer).__name__}.")
    truth = "true" if question["answer"] else "false"
    if answer == question["answer"]:
        return Score(True, 1.0, f"Right: the statement is {truth}.")
    return Score(False, 0.0, f"Not quite: the statement is {truth}.")


def _score_typed(question, answer):
    if not isinstance(answer, str):
        return _bad(f"Expected a typed answer, got {type(answer).__name__}.")
    typed = normalize_typed_answer(answer)
    if not typed:
        return _bad("The answer is empty.")
    if typed in _accepted_forms(question["accept"]):
        return Score(True, 1.0, "Right: that answer is accepted.")
    shown = " ".join(answer.split())
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return Score(False, 0.0, f"Not quite: “{shown}” is not an accepted answer.")


def _score_spot_line(question, answer):
    count = len(question["message_lines"])
    if answer is None:
        return _bad("No line was chosen.")
    if not _is_index(answer):
        return _bad(f"Expected a line number, got {type(answer).__name__}.")
    if not 1 <= answer <= count:
        return _bad(f"There is no line {answer}; the message has lines 1 to {count}.")
    if answer == question["answer_line"]:
        return Score(True, 1.0, f"Right: line {answer} is the one.")
    return Score(False, 0.0, f"Not quite: line {answer} is not the one.")


def _score_match(question, answer):
    count = len(question["pairs"])
    if answer is None:
        return _bad("No matches were given.")
    if not isinstance(answer, list | tuple):
        return _bad(f"Expected a list of choices, got {type(answer).__name__}.")
    if len(answer) != count:
        return _bad(f"Expected a choice for each of the {count} items, got {len(answer)}.")
    for value in answer:
        problem = _index_problem(value, count, "item")
        if problem:
            return _bad(problem)
    matched = sum(chosen == position for position, chosen in enumerate(answer))
    return Score(matched == count, matched / count, f"{matched} of {count} pairs matched")


_SCORERS = {
    "single": _score_single,
    "multi": _score_multi,
    "truefalse": _score_truefalse,
    "typed": _score_typed,
    "spot_line": _score_spot_line,
    "match": _score_match,
}


def score_answer(question: dict, answer) -> Score:
    """Score a learner's answer to a loaded question; never raises on a bad answer.

    Returns Score(correct, fraction, detail): fraction is partial credit from 0 to 1
    (multi and match only, others are 0 or 1). A malformed answer scores
    Score(False, 0.0, <why>). Raises ValueError only for an unknown question type,
    which means the question did not come from the loader.
    """
    try:
        scorer = _SCORERS[question["type"]]
    except KeyError:
        raise ValueError(f"unknown question type {question.get('type')!r}") from None
    return scorer(question, answer)


def correct_answer(question: dict):
    """The answer, in the shape score_answer() takes, that scores fully correct."""
    kind = question["type"]
    if kind == "single":
        return next(i for i, option in enumerate(question["options"]) if option["correct"])
    if kind == "multi":
        return [i for i, option in enumerate(question["options"]) if option["correct"]]
    if kind == "truefalse":
        return question["answer"]
    if kind == "typed":
        return question["accept"][0]
    if kind == "spot_line":
        return question["answer_line"]
    if kind == "match":
        return list(range(len(question["pairs"])))
    raise ValueError(f"unknown question type {kind!r}")
