"""The real question bank in quiz/content: it loads, it is big and varied enough,
and every question can be answered right (and wrong) by the scorer."""

import re
from collections import Counter
from pathlib import Path

import pytest

from curriculum.content_schema import load_topics
from quiz.questions import correct_answer, load_question_bank, score_answer

CONTENT = Path(__file__).resolve().parents[2] / "quiz" / "content"
TOPICS_FILE = Path(__file__).resolve().parents[2] / "curriculum" / "content" / "topics.yaml"
TOPICS = [
    "anatomy",
    "methods",
    "status-codes",
    "headers",
    "statelessness",
    "caching",
    "conditional",
    "negotiation",
    "redirects",
    "auth",
    "cookies",
    "protocol",
]
TYPES = {"single", "multi", "truefalse", "typed", "spot_line", "match"}

TOPIC_LIST, QUESTIONS = load_question_bank(CONTENT)


def by_topic():
    grouped = {}
    for question in QUESTIONS:
        grouped.setdefault(question["topic"], []).append(question)
    return grouped


def wrong_answer(question):
    """An answer in the right shape that must not score as correct."""
    kind = question["type"]
    if kind == "single":
        return next(i for i, o in enumerate(question["options"]) if not o["correct"])
    if kind == "multi":
        return [i for i, o in enumerate(question["options"]) if not o["correct"]]
    if kind == "truefalse":
        return not question["answer"]
    if kind == "typed":
        return "certainly not the answer"
    if kind == "spot_line":
        return question["answer_line"] % len(question["message_lines"]) + 1
    pairs = len(question["pairs"])
    return [(i + 1) % pairs for i in range(pairs)]


def ids(questions):
    return [q["slug"] for q in questions]


def test_every_file_names_a_topic_of_the_one_curriculum_list():
    curriculum = [topic["slug"] for topic in load_topics(TOPICS_FILE)]
    assert set(TOPIC_LIST) <= set(curriculum)
    assert set(TOPICS) <= set(TOPIC_LIST)


def test_bank_has_at_least_150_questions():
    assert len(QUESTIONS) >= 150


def test_every_topic_has_at_least_12_questions():
    counts = {slug: len(questions) for slug, questions in by_topic().items()}
    assert min(counts[slug] for slug in TOPICS) >= 12, counts
    assert min(counts.values()) >= 5, counts


def test_every_type_is_used_in_at_least_four_topics():
    for kind in TYPES:
        topics = {q["topic"] for q in QUESTIONS if q["type"] == kind}
        assert len(topics) >= 4, kind


def test_every_topic_spans_all_three_difficulties():
    for slug, questions in by_topic().items():
        assert {q["difficulty"] for q in questions} == {1, 2, 3}, slug


def test_slugs_are_unique_and_carry_their_topic_prefix():
    slugs = Counter(q["slug"] for q in QUESTIONS)
    assert [slug for slug, count in slugs.items() if count > 1] == []
    assert all(q["slug"].startswith(q["topic"] + "-") for q in QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=ids(QUESTIONS))
def test_correct_answer_scores_full_marks(question):
    score = score_answer(question, correct_answer(question))

    assert (score.correct, score.fraction) == (True, 1.0), score.detail


@pytest.mark.parametrize("question", QUESTIONS, ids=ids(QUESTIONS))
def test_wrong_answer_does_not_score_as_correct(question):
    score = score_answer(question, wrong_answer(question))

    assert score.correct is False
    assert score.fraction < 1.0


@pytest.mark.parametrize("question", QUESTIONS, ids=ids(QUESTIONS))
def test_explanations_are_substantial(question):
    # An explanation has to say why the right answer is right and why the tempting
    # wrong one is wrong; a one-liner cannot do both.
    assert len(question["explanation"]) >= 120, question["slug"]


SPOT_LINE = [q for q in QUESTIONS if q["type"] == "spot_line"]


@pytest.mark.parametrize("question", SPOT_LINE, ids=ids(SPOT_LINE))
def test_spot_line_messages_declare_their_true_body_length(question):
    # A wrong Content-Length would be a second, unintended fault in the message.
    lines = question["message_lines"]
    lengths = [
        int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")
    ]
    if not lengths or "" not in lines:
        return
    body = "\n".join(lines[lines.index("") + 1 :])
    assert lengths == [len(body.encode("utf-8"))]


OBSOLETE_RFCS = re.compile(r"RFC ?(2616|7230|7231|7232|7233|7234|7235)\b")


@pytest.mark.parametrize("question", QUESTIONS, ids=ids(QUESTIONS))
def test_questions_cite_only_current_rfcs(question):
    text = " ".join([question["prompt"], question["explanation"], question["reference"]])
    assert not OBSOLETE_RFCS.search(text)


MULTI = [q for q in QUESTIONS if q["type"] == "multi"]


def test_the_bank_has_multi_select_questions_to_explain():
    assert len(MULTI) >= 14


@pytest.mark.parametrize("question", MULTI, ids=ids(MULTI))
def test_every_multi_select_option_says_why_with_its_section(question):
    # The feedback finishes "You ticked X: right, <why> (<section>)." for every option,
    # so an option without a why, or a why citing no section, would read as a shrug.
    options = question["options"]
    assert [o["text"] for o in options if not o.get("why")] == []
    assert [o["text"] for o in options if not o.get("reference")] == []
    whys = [o["why"] for o in options]
    assert len(set(whys)) == len(whys), "two options of one question give the same reason"
