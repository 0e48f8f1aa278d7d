"""`misconception:` links in quiz files: where they may stand, and that they name the vocabulary."""

import pytest

from quiz.loader import CONTENT_DIR
from quiz.misconception_links import linked_misconceptions, revealed_by_answer
from quiz.questions import ContentError, correct_answer, load_question_bank, load_question_file
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


# --- Which answers reveal what (quiz.misconception_links) ---------------------------


def linked_question(tmp_path, kind, question_link=None, **option_links):
    changes = {"options": options(kind, **option_links)} if option_links else {}
    if question_link:
        changes["misconception"] = question_link
    return loaded(tmp_path, kind, **changes)


@pytest.mark.parametrize(
    ("kind", "links", "answer", "revealed"),
    [
        ("single", {"o2": KNOWN}, 2, [KNOWN]),
        ("single", {"o2": KNOWN}, 1, []),  # a wrong option without a link
        ("single", {"o2": KNOWN}, 0, []),  # the right one
        ("single", {"o2": KNOWN}, 9, []),
        ("single", {"o2": KNOWN}, True, []),
        ("single", {"o2": KNOWN}, "2", []),
        # multi: options 0-2 are right, 3-4 wrong
        ("multi", {"o0": KNOWN, "o4": "bare-lf-is-fine"}, [0, 1, 2], []),
        ("multi", {"o0": KNOWN, "o4": "bare-lf-is-fine"}, [1, 2], [KNOWN]),
        ("multi", {"o0": KNOWN, "o4": "bare-lf-is-fine"}, [1, 2, 4], [KNOWN, "bare-lf-is-fine"]),
        ("multi", {"o0": KNOWN, "o1": KNOWN}, [2], [KNOWN]),  # once, though two options show it
        ("multi", {"o0": KNOWN}, [1, 2, 7], []),
        ("multi", {"o0": KNOWN}, "12", []),
        ("multi", {"o0": KNOWN}, [[1]], []),
        ("multi", {"o0": KNOWN}, None, []),
    ],
)
def test_an_option_answer_reveals_the_links_it_gets_wrong(tmp_path, kind, links, answer, revealed):
    question = linked_question(tmp_path, kind, **links)

    assert revealed_by_answer(question, answer) == revealed


@pytest.mark.parametrize(
    ("kind", "answer", "revealed"),
    [
        ("truefalse", True, [KNOWN]),  # the bank's truefalse answer is false
        ("truefalse", False, []),
        ("truefalse", 1, []),
        ("spot_line", 2, [KNOWN]),  # its answer_line is 3
        ("spot_line", 3, []),
        ("spot_line", "2", []),
        ("spot_line", False, []),
    ],
)
def test_a_wrong_answer_reveals_the_questions_link(tmp_path, kind, answer, revealed):
    question = linked_question(tmp_path, kind, question_link=KNOWN)

    assert revealed_by_answer(question, answer) == revealed


def test_questions_without_links_reveal_nothing(tmp_path):
    for kind in ("single", "multi", "truefalse", "typed", "spot_line", "match"):
        question = loaded(tmp_path, kind)
        assert linked_misconceptions(question) == []
        assert revealed_by_answer(question, None) == []


def test_linked_misconceptions_lists_each_slug_once_in_file_order(tmp_path):
    question = linked_question(
        tmp_path, "multi", o0="bare-lf-is-fine", o3=KNOWN, o4="bare-lf-is-fine"
    )

    assert linked_misconceptions(question) == ["bare-lf-is-fine", KNOWN]


def test_in_the_real_bank_a_right_answer_reveals_nothing_and_every_link_can_be_revealed():
    _, questions = load_question_bank(CONTENT_DIR)
    linked = [question for question in questions if linked_misconceptions(question)]

    assert len(linked) >= 30
    for question in linked:
        assert revealed_by_answer(question, correct_answer(question)) == [], question["slug"]
        assert set(linked_misconceptions(question)) == set(_revealable(question)), question["slug"]


def _revealable(question):
    """Every misconception some answer to `question` reveals, trying one wrong answer per option or line."""
    kind = question["type"]
    if kind == "single":
        answers = range(len(question["options"]))
    elif kind == "multi":
        right = {i for i, option in enumerate(question["options"]) if option["correct"]}
        answers = [right ^ {i} for i in range(len(question["options"]))]
    elif kind == "truefalse":
        answers = [not question["answer"]]
    else:
        answers = range(1, len(question["message_lines"]) + 1)
    return {slug for answer in answers for slug in revealed_by_answer(question, answer)}
