"""Loading, validation and scoring in quiz.questions: pure Python, no Django, no database."""

import copy

import pytest
import yaml

from quiz.questions import (
    ContentError,
    Score,
    correct_answer,
    load_question_bank,
    load_question_file,
    normalize_typed_answer,
    score_answer,
)

TOPIC = "demo"
COMMON = {
    "difficulty": 1,
    "prompt": "Prompt?",
    "explanation": "Because.",
    "reference": "RFC 9110 §9.2.2",
}
QUESTIONS = {
    "single": {
        "options": [{"text": "A", "correct": True}, {"text": "B"}, {"text": "C"}, {"text": "D"}],
    },
    "multi": {
        "options": [
            {"text": "A", "correct": True},
            {"text": "B", "correct": True},
            {"text": "C", "correct": True},
            {"text": "D"},
            {"text": "E"},
        ],
    },
    "truefalse": {"answer": False},
    "typed": {"accept": ["404", "ETag"]},
    "spot_line": {
        "message": "POST /orders HTTP/1.1\nHost: shop.example\nContent-Type : application/json\n"
        "Content-Length: 2\n\n{}\n",
        "answer_line": 3,
    },
    "match": {"pairs": [["401", "who?"], ["403", "no"], ["404", "nothing"], ["405", "wrong verb"]]},
}


def raw_question(kind, slug=None, **changes):
    question = {"slug": slug or f"demo-{kind.replace('_', '-')}", "type": kind, **COMMON}
    question.update(copy.deepcopy(QUESTIONS[kind]))
    question.update(changes)
    return question


def write(tmp_path, questions, name="demo.yaml", topic=None):
    path = tmp_path / name
    data = {"topic": topic or path.stem.split("-")[0], "questions": questions}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def loaded(tmp_path, kind, **changes):
    _, questions = load_question_file(write(tmp_path, [raw_question(kind, **changes)]))
    return questions[0]


def content_error(path):
    with pytest.raises(ContentError) as caught:
        load_question_file(path)
    return str(caught.value)


# --- Loading valid files -------------------------------------------------------


def test_valid_file_loads_normalised_topic_and_questions(tmp_path):
    path = write(tmp_path, [raw_question(kind) for kind in QUESTIONS])

    topic, questions = load_question_file(path)

    assert topic == TOPIC
    assert [q["type"] for q in questions] == list(QUESTIONS)
    assert all(q["topic"] == "demo" for q in questions)
    assert questions[0]["options"][1] == {"text": "B", "correct": False}
    assert questions[0]["reference_url"] == "https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2"


def test_spot_line_message_is_split_into_lines_keeping_the_blank_line(tmp_path):
    question = loaded(tmp_path, "spot_line")

    assert question["message_lines"][2] == "Content-Type : application/json"
    assert question["message_lines"][4] == ""
    assert len(question["message_lines"]) == 6


def test_question_may_repeat_its_own_topic(tmp_path):
    assert loaded(tmp_path, "truefalse", topic="demo")["topic"] == "demo"


@pytest.mark.parametrize(
    ("reference", "url"),
    [
        ("RFC 9110 §15.5.2", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2"),
        ("RFC 9111 §5.2.2.4 (no-cache response directive)", None),
        ("RFC 7617 §2, the Basic scheme", None),
        ("RFC 9110 §B", "https://www.rfc-editor.org/rfc/rfc9110#appendix-B"),
        ("https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/418", None),
    ],
)
def test_accepted_reference_forms(tmp_path, reference, url):
    question = loaded(tmp_path, "truefalse", reference=reference)

    assert question["reference"] == reference
    if url:
        assert question["reference_url"] == url


def _multi_with_whys(**option_changes):
    """The demo multi question with a why on every option; option_changes edits option 1."""
    options = copy.deepcopy(QUESTIONS["multi"]["options"])
    for option in options:
        option["why"] = f"{option['text']} is {'' if option.get('correct') else 'not '}one of them"
    options[0].update(option_changes)
    return options


def test_multi_options_keep_their_why_and_cite_the_question_section_by_default(tmp_path):
    options = _multi_with_whys()
    options[3]["reference"] = "RFC 9112 §6.3"
    question = loaded(
        tmp_path, "multi", reference="RFC 9110 §9.2.2, idempotent methods", options=options
    )

    assert question["options"][0] == {
        "text": "A",
        "correct": True,
        "why": "A is one of them",
        "reference": "RFC 9110 §9.2.2",
    }
    assert question["options"][3]["reference"] == "RFC 9112 §6.3"


def test_a_why_written_over_several_lines_becomes_one_clause(tmp_path):
    question = loaded(tmp_path, "multi", options=_multi_with_whys(why="A is\n  one of   them"))

    assert question["options"][0]["why"] == "A is one of them"


def test_a_why_under_a_question_with_a_web_reference_cites_no_section(tmp_path):
    reference = "https://developer.mozilla.org/en-US/docs/Web/HTTP/Methods"
    question = loaded(tmp_path, "multi", reference=reference, options=_multi_with_whys())

    assert question["options"][0]["reference"] is None


def test_options_without_a_why_keep_their_plain_shape(tmp_path):
    question = loaded(tmp_path, "multi")

    assert question["options"][0] == {"text": "A", "correct": True}


BAD_WHYS = {
    "unknown option key": ({"because": "A is right"}, "option 1: unknown field(s): because"),
    "empty why": ({"why": "   "}, "option 1: why must be a non-empty string"),
    "why as a number": ({"why": 42}, "option 1: why must be a non-empty string (quote it"),
    "why ending with a full stop": ({"why": "A is one of them."}, "option 1: why is one clause"),
    "why too long": ({"why": "A " + "very " * 60 + "long"}, "option 1: why is 306 characters"),
    "reference with a note": (
        {"reference": "RFC 9110 §9.2.2 (idempotent)"},
        "option 1: reference 'RFC 9110 §9.2.2 (idempotent)' must look like 'RFC 9110 §9.2.2'",
    ),
    "reference to an obsolete RFC": ({"reference": "RFC 2616 §9.1"}, "option 1: reference"),
    "reference without a why": (
        {"why": None, "reference": "RFC 9110 §9.2.2"},
        "option 1: reference is cited after a why, so it needs a why",
    ),
    "one option without a why": (
        {"why": None},
        "option 1: has no why, though other options of this question do",
    ),
}


@pytest.mark.parametrize("case", BAD_WHYS.values(), ids=BAD_WHYS.keys())
def test_a_bad_why_names_the_file_the_question_and_the_option(tmp_path, case):
    changes, expected = case
    options = _multi_with_whys(**changes)
    options[0] = {key: value for key, value in options[0].items() if value is not None}
    path = write(tmp_path, [raw_question("truefalse"), raw_question("multi", options=options)])

    message = content_error(path)

    assert message.startswith(f"{path}: question #2 (demo-multi), option 1: ")
    assert expected in message


def test_a_why_on_a_single_choice_option_is_refused(tmp_path):
    options = copy.deepcopy(QUESTIONS["single"]["options"])
    options[1]["why"] = "B is not it"
    path = write(tmp_path, [raw_question("single", options=options)])

    message = content_error(path)

    assert "demo.yaml: question #1 (demo-single), option 2: " in message
    assert "why is only shown for multi-select options; a 'single' question" in message


# --- Every ContentError case names the file and the entry --------------------------


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("topic:\n  slug: broken\n  title: [unclosed\nquestions: []\n")

    message = content_error(path)

    assert "broken.yaml" in message
    assert "line " in message
    assert "YAML syntax error" in message


def test_duplicate_yaml_key_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, [raw_question("truefalse")])
    path.write_text(path.read_text().replace("answer: false", "answer: false\n  answer: true"))

    message = content_error(path)

    assert "demo.yaml" in message
    assert "duplicate key 'answer'" in message
    assert "line " in message


BAD_QUESTIONS = {
    "missing field": (raw_question("single"), "explanation", "missing field(s): explanation"),
    "unknown field": (raw_question("single", hint="psst"), None, "unknown field(s): hint"),
    "field of another type": (raw_question("typed", answer=True), None, "unknown field(s)"),
    "unknown type": (raw_question("single", type="essay"), None, "unknown type 'essay'"),
    "difficulty too high": (raw_question("single", difficulty=4), None, "difficulty"),
    "difficulty zero": (raw_question("single", difficulty=0), None, "difficulty"),
    "difficulty as text": (raw_question("single", difficulty="2"), None, "difficulty"),
    "difficulty as float": (raw_question("single", difficulty=1.0), None, "difficulty"),
    "single with no correct": (
        raw_question("single", options=[{"text": "A"}, {"text": "B"}]),
        None,
        "exactly one correct option, found 0",
    ),
    "single with two correct": (
        raw_question(
            "single", options=[{"text": "A", "correct": True}, {"text": "B", "correct": True}]
        ),
        None,
        "exactly one correct option, found 2",
    ),
    "multi with no correct": (
        raw_question("multi", options=[{"text": "A"}, {"text": "B"}]),
        None,
        "at least one correct option",
    ),
    "option correct not bool": (
        raw_question("single", options=[{"text": "A", "correct": "yes"}, {"text": "B"}]),
        None,
        "option 1: correct must be true or false",
    ),
    "duplicate option text": (
        raw_question("single", options=[{"text": "A", "correct": True}, {"text": "A"}]),
        None,
        "same text",
    ),
    "truefalse answer as text": (
        raw_question("truefalse", answer="true"),
        None,
        "answer must be true or false",
    ),
    "truefalse answer as number": (
        raw_question("truefalse", answer=1),
        None,
        "answer must be true or false",
    ),
    "typed with empty accept": (
        raw_question("typed", accept=[]),
        None,
        "accept must be a non-empty list",
    ),
    "typed accept unquoted number": (raw_question("typed", accept=[201]), None, "quote it"),
    "spot_line answer_line zero": (
        raw_question("spot_line", answer_line=0),
        None,
        "from 1 to 6, got 0",
    ),
    "spot_line answer_line past end": (
        raw_question("spot_line", answer_line=7),
        None,
        "from 1 to 6, got 7",
    ),
    "match with one pair": (raw_question("match", pairs=[["a", "b"]]), None, "at least 2"),
    "match duplicate left": (
        raw_question("match", pairs=[["a", "b"], ["a", "c"]]),
        None,
        "duplicate left item",
    ),
    "match duplicate right": (
        raw_question("match", pairs=[["a", "b"], ["c", "b"]]),
        None,
        "duplicate right item",
    ),
    "match pair of three": (
        raw_question("match", pairs=[["a", "b", "c"], ["d", "e"]]),
        None,
        "pair 1",
    ),
    "obsolete rfc": (raw_question("single", reference="RFC 2616 §14.9"), None, "reference"),
    "reference without section sign": (
        raw_question("single", reference="RFC 9110 9.2.2"),
        None,
        "reference",
    ),
    "reference to another site": (
        raw_question("single", reference="https://example.com/http"),
        None,
        "reference",
    ),
    "reference glued note": (
        raw_question("single", reference="RFC 9110 §9.2.2x"),
        None,
        "reference",
    ),
    "slug with capitals": (raw_question("single", slug="Demo-Single"), None, "slug 'Demo-Single'"),
    "slug with underscore": (
        raw_question("single", slug="demo_single"),
        None,
        "slug 'demo_single'",
    ),
    "slug with double hyphen": (raw_question("single", slug="demo--single"), None, "slug"),
    "slug with trailing hyphen": (raw_question("single", slug="demo-"), None, "slug"),
    "topic differs from file": (
        raw_question("single", topic="methods"),
        None,
        "differs from the file's topic",
    ),
    "empty prompt": (
        raw_question("single", prompt="  "),
        None,
        "prompt must be a non-empty string",
    ),
}


@pytest.mark.parametrize("case", BAD_QUESTIONS.values(), ids=BAD_QUESTIONS.keys())
def test_invalid_question_raises_content_error_naming_file_and_entry(tmp_path, case):
    question, drop, expected = case
    question = dict(question)
    if drop:
        del question[drop]
    good = raw_question("truefalse", slug="demo-fine")
    path = write(tmp_path, [good, question])

    message = content_error(path)

    assert "demo.yaml" in message
    assert "question #2" in message
    assert expected in message


def test_missing_slug_is_named_by_position(tmp_path):
    question = raw_question("single")
    del question["slug"]

    message = content_error(write(tmp_path, [question]))

    assert "demo.yaml: question #1: missing field(s): slug" in message


def test_duplicate_slug_in_one_file(tmp_path):
    path = write(
        tmp_path, [raw_question("single", slug="demo-x"), raw_question("typed", slug="demo-x")]
    )

    message = content_error(path)

    assert "demo.yaml: question #2 (demo-x): duplicate slug" in message


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        (
            {"slug": "demo", "title": "Demo", "summary": "S.", "order": 1},
            "topic: must be a topic's slug, like 'topic: methods'; topics are defined once, "
            "in curriculum/content/topics.yaml",
        ),
        ("Demo Topic", "topic: slug 'Demo Topic'"),
        (7, "topic: slug 7"),
    ],
)
def test_invalid_topic_raises_content_error(tmp_path, topic, expected):
    message = content_error(write(tmp_path, [raw_question("single")], topic=topic))

    assert "demo.yaml" in message
    assert expected in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- just a list\n", "file: must be a mapping"),
        (
            "topic: demo\n",
            "file: missing field(s): questions",
        ),
        (
            "topic: demo\nquestions: []\n",
            "questions: must be",
        ),
        (
            "topic: demo\nquestions: [oops]\n",
            "question #1: must be",
        ),
    ],
)
def test_invalid_file_shape_raises_content_error(tmp_path, text, expected):
    path = tmp_path / "demo.yaml"
    path.write_text(text)

    assert expected in content_error(path)


def test_missing_file_raises_content_error(tmp_path):
    assert "nowhere.yaml: file: cannot be read" in content_error(tmp_path / "nowhere.yaml")


# --- The bank: several files ----------------------------------------------------


def test_bank_reads_files_in_name_order_and_lists_each_topic_once(tmp_path):
    write(tmp_path, [raw_question("single", slug="zeta-q")], name="zeta.yaml", topic="zeta")
    write(tmp_path, [raw_question("typed", slug="alpha-q")], name="alpha.yaml", topic="alpha")
    write(tmp_path, [raw_question("typed", slug="alpha-r")], name="alpha-more.yaml", topic="alpha")
    (tmp_path / "notes.txt").write_text("not a question file")

    topics, questions = load_question_bank(tmp_path)

    assert topics == ["alpha", "zeta"]
    assert [q["slug"] for q in questions] == ["alpha-r", "alpha-q", "zeta-q"]
    assert [q["topic"] for q in questions] == ["alpha", "alpha", "zeta"]


def test_bank_refuses_a_slug_used_in_two_files(tmp_path):
    write(
        tmp_path,
        [raw_question("single", slug="same")],
        name="alpha.yaml",
        topic="alpha",
    )
    write(
        tmp_path,
        [raw_question("typed", slug="same")],
        name="beta.yaml",
        topic="beta",
    )

    with pytest.raises(ContentError) as caught:
        load_question_bank(tmp_path)

    assert "beta.yaml: question #1 (same): slug 'same' is already used in alpha.yaml" in str(
        caught.value
    )


def test_bank_refuses_a_file_not_named_after_its_topic(tmp_path):
    write(tmp_path, [raw_question("single")], name="misnamed.yaml", topic=TOPIC)

    with pytest.raises(
        ContentError, match=r"misnamed\.yaml: topic: 'demo' must match the file name"
    ):
        load_question_bank(tmp_path)


def test_bank_refuses_a_missing_directory(tmp_path):
    with pytest.raises(ContentError, match="does not exist"):
        load_question_bank(tmp_path / "absent")


# --- Scoring: single -----------------------------------------------------------------


def test_single_right_and_wrong_option(tmp_path):
    question = loaded(tmp_path, "single")

    assert score_answer(question, 0) == Score(True, 1.0, "Right: that is the correct option.")
    assert score_answer(question, 2).correct is False
    assert score_answer(question, 2).fraction == 0.0


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (None, "No option was given"),
        ("0", "got str"),
        (True, "got bool"),
        (0.0, "got float"),
        (-1, "no option -1"),
        (4, "no option 4; valid numbers are 0 to 3"),
        ([0], "got list"),
    ],
)
def test_single_bad_answer_shapes(tmp_path, answer, reason):
    score = score_answer(loaded(tmp_path, "single"), answer)

    assert (score.correct, score.fraction) == (False, 0.0)
    assert reason in score.detail


# --- Scoring: multi (3 right options: 0, 1, 2; 2 wrong: 3, 4) ----------------------------


@pytest.mark.parametrize(
    ("answer", "correct", "fraction", "detail"),
    [
        ([0, 1, 2], True, 1.0, "3 of 3 right options, 0 wrong"),
        ((2, 0, 1), True, 1.0, "3 of 3 right options, 0 wrong"),
        ({0, 1, 2}, True, 1.0, "3 of 3 right options, 0 wrong"),
        ([0, 1], False, 2 / 3, "2 of 3 right options, 0 wrong"),
        ([0, 1, 3], False, 1 / 3, "2 of 3 right options, 1 wrong"),
        ([0, 1, 2, 3], False, 2 / 3, "3 of 3 right options, 1 wrong"),
        ([0, 3, 4], False, 0.0, "1 of 3 right options, 2 wrong"),
        ([3, 4], False, 0.0, "0 of 3 right options, 2 wrong"),
        ([], False, 0.0, "0 of 3 right options, 0 wrong"),
        ([0, 0, 1], False, 2 / 3, "2 of 3 right options, 0 wrong"),
    ],
)
def test_multi_partial_credit(tmp_path, answer, correct, fraction, detail):
    score = score_answer(loaded(tmp_path, "multi"), answer)

    assert score.correct is correct
    assert score.fraction == pytest.approx(fraction)
    assert score.detail == detail


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (None, "No selection"),
        ("012", "got str"),
        (1, "got int"),
        ({0: True}, "got dict"),
        ([0, "1"], "got str"),
        ([5], "no option 5"),
        ([True], "got bool"),
    ],
)
def test_multi_bad_answer_shapes(tmp_path, answer, reason):
    score = score_answer(loaded(tmp_path, "multi"), answer)

    assert (score.correct, score.fraction) == (False, 0.0)
    assert reason in score.detail


# --- Scoring: truefalse -------------------------------------------------------------


def test_truefalse(tmp_path):
    question = loaded(tmp_path, "truefalse")

    assert score_answer(question, False) == Score(True, 1.0, "Right: the statement is false.")
    assert score_answer(question, True) == Score(False, 0.0, "Not quite: the statement is false.")


@pytest.mark.parametrize("answer", [None, "false", 0, [False]])
def test_truefalse_bad_answer_shapes(tmp_path, answer):
    score = score_answer(loaded(tmp_path, "truefalse"), answer)

    assert (score.correct, score.fraction) == (False, 0.0)
    assert "Expected true or false" in score.detail


# --- Scoring: typed -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("  ETag  ", "etag"),
        ("ETag.", "etag"),
        ("`ETag`", "etag"),
        ('"ETag"', "etag"),
        ("'ETag'.", "etag"),
        ("`ETag.`", "etag"),
        ("404   Not\tFound", "404 not found"),
        ("Straße", "strasse"),
        ("Allow:", "allow"),
        ("`Retry-After:`", "retry-after"),
        ("max-age=60", "max-age=60"),
        ("...", ".."),
        (".", ""),
    ],
)
def test_normalize_typed_answer(typed, normalised):
    assert normalize_typed_answer(typed) == normalised


@pytest.mark.parametrize(
    "answer",
    [
        "404",
        " 404 ",
        "404.",
        "404 Not Found",
        "404 not found",
        "404   NOT FOUND.",
        "etag",
        "ETAG",
        "`ETag`",
    ],
)
def test_typed_accepts_normalised_alternatives(tmp_path, answer):
    assert score_answer(loaded(tmp_path, "typed"), answer).correct is True


@pytest.mark.parametrize(
    "answer", ["405", "404 Forbidden", "404 Not", "40 4", "Not Found", "e-tag"]
)
def test_typed_rejects_wrong_answers(tmp_path, answer):
    score = score_answer(loaded(tmp_path, "typed"), answer)

    assert (score.correct, score.fraction) == (False, 0.0)
    assert "is not an accepted answer" in score.detail


@pytest.mark.parametrize(
    ("accept", "answer"),
    [
        (["413"], "413 Content Too Large"),
        (["413"], "413 Payload Too Large"),
        (["413"], "413 Request Entity Too Large"),
        (["422"], "422 Unprocessable Content"),
        (["302"], "302 Found"),
    ],
)
def test_typed_status_code_accepts_current_and_former_reason_phrases(tmp_path, accept, answer):
    assert score_answer(loaded(tmp_path, "typed", accept=accept), answer).correct is True


def test_typed_wrong_answer_detail_quotes_a_shortened_answer(tmp_path):
    score = score_answer(loaded(tmp_path, "typed"), "x" * 200)

    assert score.detail == f"Not quite: “{'x' * 57}...” is not an accepted answer."


def test_typed_reason_phrase_only_applies_to_status_codes(tmp_path):
    question = loaded(tmp_path, "typed", accept=["max-age", "999"])

    assert score_answer(question, "max-age not found").correct is False
    assert score_answer(question, "999 not found").correct is False


@pytest.mark.parametrize(
    ("answer", "reason"),
    [(None, "got NoneType"), (404, "got int"), ("   ", "empty"), (".", "empty")],
)
def test_typed_bad_answer_shapes(tmp_path, answer, reason):
    score = score_answer(loaded(tmp_path, "typed"), answer)

    assert (score.correct, score.fraction) == (False, 0.0)
    assert reason in score.detail


# --- Scoring: spot_line ---------------------------------------------------------------


def test_spot_line_right_and_wrong_line(tmp_path):
    question = loaded(tmp_path, "spot_line")

    assert score_answer(question, 3) == Score(True, 1.0, "Right: line 3 is the one.")
    assert score_answer(question, 2) == Score(False, 0.0, "Not quite: line 2 is not the one.")


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (None, "No line"),
        (0, "no line 0"),
        (7, "no line 7; the message has lines 1 to 6"),
        ("3", "got str"),
        (True, "got bool"),
    ],
)
def test_spot_line_bad_answer_shapes(tmp_path, answer, reason):
    score = score_answer(loaded(tmp_path, "spot_line"), answer)

    assert (score.correct, score.fraction) == (False, 0.0)
    assert reason in score.detail


# --- Scoring: match ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "correct", "fraction"),
    [
        ([0, 1, 2, 3], True, 1.0),
        ((0, 1, 2, 3), True, 1.0),
        ([1, 0, 2, 3], False, 0.5),
        ([0, 0, 0, 0], False, 0.25),
        ([3, 2, 1, 0], False, 0.0),
    ],
)
def test_match_partial_credit_by_count_of_correct_matches(tmp_path, answer, correct, fraction):
    score = score_answer(loaded(tmp_path, "match"), answer)

    assert score.correct is correct
    assert score.fraction == fraction
    assert score.detail == f"{int(fraction * 4)} of 4 pairs matched"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (None, "No matches"),
        ("0123", "got str"),
        ({0: 0}, "got dict"),
        ([0, 1, 2], "each of the 4 items, got 3"),
        ([0, 1, 2, 4], "no item 4"),
        ([0, 1, 2, None], "No item"),
        ([0, 1, 2, "3"], "got str"),
    ],
)
def test_match_bad_answer_shapes(tmp_path, answer, reason):
    score = score_answer(loaded(tmp_path, "match"), answer)

    assert (score.correct, score.fraction) == (False, 0.0)
    assert reason in score.detail


# --- Every type: the correct answer scores, odd input never raises ---------------------------


@pytest.mark.parametrize("kind", QUESTIONS)
def test_correct_answer_scores_full_marks(tmp_path, kind):
    question = loaded(tmp_path, kind)

    score = score_answer(question, correct_answer(question))

    assert (score.correct, score.fraction) == (True, 1.0)


ODD_ANSWERS = [
    None,
    "",
    "x",
    -1,
    0,
    10**9,
    1.5,
    True,
    [],
    [None],
    [[0]],
    {},
    {"a": 1},
    object(),
    b"1",
    (x for x in [0]),
]


@pytest.mark.parametrize("kind", QUESTIONS)
@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=range(len(ODD_ANSWERS)))
def test_score_answer_never_raises(tmp_path, kind, answer):
    score = score_answer(loaded(tmp_path, kind), answer)

    assert isinstance(score, Score)
    assert 0.0 <= score.fraction <= 1.0
    assert score.detail


def test_unknown_question_type_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown question type"):
        score_answer({"type": "essay"}, "anything")
