"""`misconception:` links in quiz files: where they may stand, and that they name the vocabulary."""

import pytest

from quiz.questions import ContentError, load_question_file
from tests.quiz.test_questions import content_error, loaded, raw_question, write

KNOWN = "put-not-idempotent"  # in curriculum/content/misconceptions.yaml


def options(kind, **links):
    """The test bank's options for `kind`, with a misconception on the options named by index."""
    question = raw_question(kind)
    for index, slug in links.items():
        question["options"][int(index.removeprefix("o"))]["misconception"] = slug
    return question["options"]


def test_a_wrong_single_choice_option_keeps_its_misconception(tmp_path):
    question = loaded(tmp_path, "single", options=options("single", o2=KNOWN))

    assert question["options"][2] == {"text": "C", "correct": False, "misconception": KNOWN}
    assert "misconception" not in question["options"][1]
    assert "misconception" not in question


def test_any_multi_select_option_may_carry_one_right_or_wrong(tmp_path):
    question = loaded(tmp_path, "multi", options=options("multi", o0=KNOWN, o4="bare-lf-is-fine"))

    assert question["options"][0]["misconception"] == KNOWN
    assert question["options"][4]["misconception"] == "bare-lf-is-fine"


@pytest.mark.parametrize("kind", ["truefalse", "spot_line"])
def test_a_question_with_one_right_answer_carries_it_on_the_question(tmp_path, kind):
    question = loaded(tmp_path, kind, misconception=KNOWN)

    assert question["misconception"] == KNOWN


BAD = [
    (
        "single",
        {"options": "o0"},
        "question #1 (demo-single), option 1: the correct option of a single-choice "
        "question reveals no misconception",
    ),
    (
        "single",
        {"options": "o1", "slug": "put-is-not-idempotent"},
        "question #1 (demo-single), option 2: misconception 'put-is-not-idempotent' "
        "is not in the vocabulary (curriculum/content/misconceptions.yaml)",
    ),
    (
        "multi",
        {"options": "o3", "slug": "Put Not Idempotent"},
        "question #1 (demo-multi), option 4: misconception must be a slug from "
        "misconceptions.yaml, got 'Put Not Idempotent'",
    ),
    (
        "multi",
        {"options": "o3", "slug": ["put-not-idempotent"]},
        "option 4: misconception must be a slug",
    ),
    (
        "truefalse",
        {"question": "no-such-belief"},
        "question #1 (demo-truefalse): misconception 'no-such-belief' is not in the vocabulary",
    ),
    (
        "spot_line",
        {"question": 7},
        "question #1 (demo-spot-line): misconception must be a slug from misconceptions.yaml",
    ),
    ("single", {"question": KNOWN}, "question #1 (demo-single): unknown field(s): misconception"),
    ("typed", {"question": KNOWN}, "question #1 (demo-typed): unknown field(s): misconception"),
    ("match", {"question": KNOWN}, "question #1 (demo-match): unknown field(s): misconception"),
]


@pytest.mark.parametrize(("kind", "where", "message"), BAD)
def test_a_bad_link_names_the_file_and_the_entry(tmp_path, kind, where, message):
    if "options" in where:
        question = raw_question(
            kind, options=options(kind, **{where["options"]: where.get("slug", KNOWN)})
        )
    else:
        question = raw_question(kind, misconception=where["question"])
    path = write(tmp_path, [question])

    error = content_error(path)

    assert error.startswith(f"{path}: ")
    assert message in error


def test_a_broken_vocabulary_is_reported_as_a_quiz_content_error(tmp_path, monkeypatch):
    vocabulary = tmp_path / "misconceptions.yaml"
    vocabulary.write_text("misconceptions: nope\n", encoding="utf-8")
    monkeypatch.setattr("curriculum.misconceptions.DEFAULT_PATH", vocabulary)
    path = write(tmp_path, [raw_question("truefalse", misconception=KNOWN)])

    with pytest.raises(ContentError) as caught:
        load_question_file(path)

    assert (
        str(caught.value)
        == f"{vocabulary}: misconceptions: must be a non-empty list of misconceptions"
    )
