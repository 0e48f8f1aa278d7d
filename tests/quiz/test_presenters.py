"""The feedback on a multi-select answer: one plain sentence per option, saying why."""

import pytest

from quiz.presenters import answer_review
from quiz.services import quiz_answer_submit, quiz_run_start
from tests.factories import QuestionFactory, TopicFactory, UserFactory, question_data

pytestmark = pytest.mark.django_db

IDEMPOTENT_WHYS = [
    ("PUT", True, "PUT is idempotent", "RFC 9110 §9.2.2"),
    (
        "POST",
        False,
        "POST is not idempotent, since two identical POSTs may create two orders",
        None,
    ),
    ("DELETE", True, "DELETE is idempotent", "RFC 9110 §9.2.2"),
    ("PATCH", False, "PATCH is not idempotent by definition", "RFC 9110 §9.2.2"),
]


def _multi_data(options):
    data = question_data("multi", "methods-idempotent")
    data["options"] = [
        {"text": text, "correct": correct, "why": why, "reference": reference}
        for text, correct, why, reference in options
    ]
    return data


def _sentences(options, ticked):
    """Answer a multi question made of `options` by ticking the indexes in `ticked`."""
    topic = TopicFactory()
    QuestionFactory(topic=topic, kind="multi", data=_multi_data(options))
    run = quiz_run_start(user=UserFactory(), kind="topic", topic=topic)
    answer = quiz_answer_submit(run=run, position=0, answer=ticked)
    return [item["sentence"] for item in answer_review(run, answer)["items"]]


def test_each_option_says_what_you_did_and_why_it_is_so():
    sentences = _sentences(IDEMPOTENT_WHYS, ticked=[0, 1])

    assert sentences == [
        "You ticked PUT: right, PUT is idempotent (RFC 9110 §9.2.2).",
        "You ticked POST, but POST is not idempotent, since two identical POSTs may create"
        " two orders.",
        "You left DELETE unticked, but DELETE is idempotent (RFC 9110 §9.2.2).",
        "You left PATCH unticked: right, PATCH is not idempotent by definition (RFC 9110 §9.2.2).",
    ]


def test_without_a_why_the_sentence_still_says_whether_the_option_belongs():
    topic = TopicFactory()
    QuestionFactory(topic=topic, kind="multi")  # GET, HEAD right; POST, PATCH wrong; no whys
    run = quiz_run_start(user=UserFactory(), kind="topic", topic=topic)
    answer = quiz_answer_submit(run=run, position=0, answer=[0, 2])
    sentences = [item["sentence"] for item in answer_review(run, answer)["items"]]

    assert sentences == [
        "You ticked GET: right, GET is one of them.",
        "You left HEAD unticked, but HEAD is one of them.",
        "You ticked POST, but POST is not one of them.",
        "You left PATCH unticked: right, PATCH is not one of them.",
    ]


def test_code_reads_as_code_and_a_phrase_is_quoted_so_its_end_is_clear():
    options = [
        ("`Host: notes.example`", True, "it is a `name: value` field line", "RFC 9112 §5"),
        ("Any response to a HEAD request", False, "a response to HEAD has no content", None),
    ]
    sentences = _sentences(options, ticked=[0, 1])

    assert sentences == [
        "You ticked <code>Host: notes.example</code>: right, it is a <code>name: value</code>"
        " field line (RFC 9112 §5).",
        "You ticked “Any response to a HEAD request”, but a response to HEAD has no content.",
    ]


def test_markup_in_a_why_is_sanitised_not_obeyed():
    options = [
        ("GET", True, "GET is safe <script>alert(1)</script> & read-only", None),
        ("POST", False, "POST is not safe", None),
    ]
    sentence = _sentences(options, ticked=[0])[0]

    assert "<script>" not in sentence
    assert sentence.startswith("You ticked GET: right, GET is safe")
    assert "&amp; read-only." in sentence
