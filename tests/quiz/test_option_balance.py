"""Option length must not give the answer away in choice questions.

A learner who cannot answer can still guess well if the right option is always
the longest one (the careful, qualified answer) or always the shortest. These
tests measure, over the real bank as the real loader validates it, how often
that happens, and keep it well below what a guesser could exploit.

How an option is measured: by the number of characters the learner sees. The
question card shows each option through the Markdown filter (quiz.presenters
option_html, code in <code>), so the text goes through that filter, its tags are stripped, HTML
entities are decoded and runs of whitespace count as one space. Backticks
around code therefore do not count; the code itself does.

The definitions are strict about ties (equal lengths give nothing away):

- single choice: the correct option is *uniquely longest* when it is longer
  than every wrong option, and *uniquely shortest* when it is shorter than every
  wrong option;
- multi-select: the correct options are *exactly the longest* when every
  correct option is longer than every wrong option, so that ticking the k
  longest options (k = the number of right ones) would score full marks; and
  *exactly the shortest* the other way round.
"""

import html
import re

import pytest
from django.utils.html import strip_tags

from accounts.templatetags.markup import markdown_filter
from quiz.loader import CONTENT_DIR
from quiz.questions import load_question_bank

MAX_LONGEST_SHARE = 0.30
MAX_SHORTEST_SHARE = 0.40

_, QUESTIONS = load_question_bank(CONTENT_DIR)


def visible_length(text: str) -> int:
    """Return the number of characters a learner sees for an option's Markdown text."""
    shown = html.unescape(strip_tags(markdown_filter(text)))
    return len(re.sub(r"\s+", " ", shown).strip())


def _split_lengths(question: dict) -> tuple[list[int], list[int]]:
    """Return (lengths of the correct options, lengths of the wrong ones)."""
    right, wrong = [], []
    for option in question["options"]:
        (right if option["correct"] else wrong).append(visible_length(option["text"]))
    return right, wrong


def correct_is_longest(question: dict) -> bool:
    """True when every correct option is strictly longer than every wrong one."""
    right, wrong = _split_lengths(question)
    return bool(wrong) and min(right) > max(wrong)


def correct_is_shortest(question: dict) -> bool:
    """True when every correct option is strictly shorter than every wrong one."""
    right, wrong = _split_lengths(question)
    return bool(wrong) and max(right) < min(wrong)


def share(kind: str, flagged) -> tuple[float, list[str]]:
    """Return (share of `kind` questions for which `flagged` holds, their slugs)."""
    questions = [q for q in QUESTIONS if q["type"] == kind]
    slugs = [q["slug"] for q in questions if flagged(q)]
    return len(slugs) / len(questions), slugs


def _report(kind: str, what: str, figure: float, slugs: list[str], limit: float) -> str:
    total = sum(q["type"] == kind for q in QUESTIONS)
    return (
        f"In {len(slugs)} of {total} {kind} questions ({figure:.0%}) the correct option is "
        f"{what}; the limit is {limit:.0%}. Rewrite options in: {', '.join(slugs)}"
    )


@pytest.mark.parametrize("kind", ["single", "multi"])
def test_correct_option_is_rarely_the_longest(kind):
    figure, slugs = share(kind, correct_is_longest)
    assert figure <= MAX_LONGEST_SHARE, _report(
        kind, "the uniquely longest", figure, slugs, MAX_LONGEST_SHARE
    )


@pytest.mark.parametrize("kind", ["single", "multi"])
def test_correct_option_is_not_systematically_the_shortest(kind):
    figure, slugs = share(kind, correct_is_shortest)
    assert figure <= MAX_SHORTEST_SHARE, _report(
        kind, "the uniquely shortest", figure, slugs, MAX_SHORTEST_SHARE
    )


def test_the_bank_has_enough_choice_questions_for_the_figures_to_mean_something():
    counts = {kind: sum(q["type"] == kind for q in QUESTIONS) for kind in ("single", "multi")}
    assert counts["single"] >= 40 and counts["multi"] >= 10, counts


# --- The measure itself ----------------------------------------------------------


def _question(kind, *options):
    """A choice question from (text, correct) pairs."""
    return {"type": kind, "options": [{"text": t, "correct": c} for t, c in options]}


def test_visible_length_counts_code_but_not_its_backticks_or_entities():
    assert visible_length("`Host: a`") == len("Host: a")
    assert visible_length("**bold**  and\n  `x < y`") == len("bold and x < y")
    assert visible_length("Tom & Jerry") == len("Tom & Jerry")


def test_single_choice_with_the_longest_right_answer_is_flagged():
    question = _question("single", ("a long right answer", True), ("short", False), ("no", False))
    assert correct_is_longest(question)
    assert not correct_is_shortest(question)


def test_a_tie_with_a_wrong_option_is_not_uniquely_longest_or_shortest():
    question = _question("single", ("same", True), ("size", False), ("a", False))
    assert not correct_is_longest(question)
    assert not correct_is_shortest(_question("single", ("same", True), ("size", False)))


def test_single_choice_with_the_shortest_right_answer_is_flagged_as_shortest():
    question = _question("single", ("no", True), ("a wrong answer", False), ("wrong", False))
    assert correct_is_shortest(question)
    assert not correct_is_longest(question)


def test_multi_select_is_flagged_only_when_all_right_options_outsize_all_wrong_ones():
    longest_set = _question(
        "multi", ("right and long", True), ("right, longer", True), ("wrong", False)
    )
    mixed = _question(
        "multi", ("right and long", True), ("ok", True), ("wrong", False), ("nope", False)
    )
    assert correct_is_longest(longest_set)
    assert not correct_is_longest(mixed)
    assert not correct_is_shortest(mixed)
