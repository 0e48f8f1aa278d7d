import pytest
from django.urls import reverse

from accounts.models import XpAward
from quiz.models import Answer, QuizRun
from quiz.services import quiz_run_start
from tests.factories import QuestionFactory, TopicFactory, UserFactory, question_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _run(user, kind="single", n=2):
    topic = TopicFactory()
    for _ in range(n):
        QuestionFactory(topic=topic, kind=kind)
    return quiz_run_start(user=user, kind="topic", topic=topic)


def _answer_url(run):
    return reverse("quiz:answer", args=[run.pk])


# --- index and start --------------------------------------------------------


def test_index_lists_topics_with_mastery(client, learner):
    QuestionFactory(topic=TopicFactory(title="Methods"))
    body = client.get(reverse("quiz:index")).content.decode()
    assert "Methods" in body and "Mastery: 0 of 1" in body


def test_index_invites_visitors_to_log_in(client):
    QuestionFactory()
    body = client.get(reverse("quiz:index")).content.decode()
    assert "to take a quiz and keep your progress" in body


def test_index_refuses_post(client):
    assert client.post(reverse("quiz:index")).status_code == 405


def test_start_creates_a_run_and_redirects_to_it(client, learner):
    topic = TopicFactory()
    QuestionFactory(topic=topic)
    response = client.post(reverse("quiz:start"), {"topic": topic.slug})
    run = QuizRun.objects.get(user=learner)
    assert response.status_code == 302 and response["Location"] == reverse(
        "quiz:run", args=[run.pk]
    )


def test_start_over_htmx_redirects_the_browser(client, learner, htmx_headers):
    QuestionFactory()
    response = client.post(reverse("quiz:start"), {"topic": "mixed"}, headers=htmx_headers)
    assert response["HX-Redirect"] == reverse("quiz:run", args=[QuizRun.objects.get().pk])


@pytest.mark.parametrize("topic", ["no-such-topic", ""])
def test_start_with_unknown_topic_says_so_and_creates_nothing(client, learner, topic):
    response = client.post(reverse("quiz:start"), {"topic": topic}, follow=True)
    assert "There is no such quiz topic" in response.content.decode()
    assert not QuizRun.objects.exists()


def test_practice_with_nothing_due_says_so(client, learner):
    response = client.post(reverse("quiz:start"), {"topic": "practice"}, follow=True)
    assert "No mistakes are due for practice" in response.content.decode()


def test_start_needs_login_and_post(client):
    assert client.post(reverse("quiz:start"), {"topic": "mixed"})["Location"].startswith(
        reverse("accounts:login")
    )
    client.force_login(UserFactory())
    assert client.get(reverse("quiz:start")).status_code == 405


# --- a run ------------------------------------------------------------------


def test_run_page_shows_the_current_question_with_progress(client, learner):
    run = _run(learner)
    body = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert "Question 1 of 2" in body and '<progress max="2" value="0"' in body
    assert 'name="position" value="0"' in body


def test_run_fragment_for_htmx(client, learner, htmx_headers):
    run = _run(learner)
    body = client.get(reverse("quiz:run", args=[run.pk]), headers=htmx_headers).content.decode()
    assert body.lstrip().startswith('<section id="quiz-card"') and "<html" not in body


def test_someone_elses_run_is_404(client, learner):
    run = _run(UserFactory())
    assert client.get(reverse("quiz:run", args=[run.pk])).status_code == 404
    assert client.post(_answer_url(run), {"position": 0, "choice": 0}).status_code == 404
    assert not Answer.objects.exists()


def test_answer_without_js_redirects_to_feedback_page(client, learner):
    run = _run(learner)
    response = client.post(_answer_url(run), {"position": 0, "choice": 0})
    assert response["Location"] == reverse("quiz:feedback", args=[run.pk, 0])
    body = client.get(response["Location"]).content.decode()
    assert "Right" in body and "Why" in body and "RFC 9110 §9.2.2" in body
    assert "Next question" in body


def test_answer_over_htmx_returns_feedback_fragment(client, learner, htmx_headers):
    run = _run(learner)
    response = client.post(_answer_url(run), {"position": 0, "choice": 1}, headers=htmx_headers)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<section id="quiz-card"')
    assert "Not quite" in body and "The right answer: <strong>201 Created</strong>" in body


@pytest.mark.parametrize(
    "kind, post, message",
    [
        ("single", {}, "Choose one option"),
        ("single", {"choice": "x"}, "not one of the choices"),
        ("multi", {}, "Choose at least one option"),
        ("truefalse", {"choice": "maybe"}, "Choose True or False"),
        ("typed", {"text": "   "}, "Type an answer"),
        ("typed", {"text": "x" * 201}, "keep it under 200"),
        ("spot_line", {}, "Pick the line"),
        ("match", {"match-0": "0"}, "Match every item"),
    ],
)
def test_bad_answers_get_a_clear_message_and_record_nothing(client, learner, kind, post, message):
    run = _run(learner, kind=kind)
    response = client.post(_answer_url(run), {"position": 0, **post})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists() and not XpAward.objects.exists()


def test_bad_position_is_refused(client, learner):
    run = _run(learner)
    response = client.post(_answer_url(run), {"position": "7", "choice": 0})
    assert response.status_code == 400 and "not part of this run" in response.content.decode()


def test_answer_refuses_get(client, learner):
    run = _run(learner)
    assert client.get(_answer_url(run)).status_code == 405


def test_summary_after_the_last_answer(client, learner):
    run = _run(learner, n=2)
    client.post(_answer_url(run), {"position": 0, "choice": 0})
    client.post(_answer_url(run), {"position": 1, "choice": 2})
    body = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert "Run finished: 1 of 2 right" in body
    assert "Right answer: 201 Created" in body


def test_feedback_for_an_unanswered_position_is_404(client, learner):
    run = _run(learner)
    assert client.get(reverse("quiz:feedback", args=[run.pk, 1])).status_code == 404


@pytest.mark.parametrize(
    "kind, post, verdict",
    [
        ("multi", {"choice": ["0", "1"]}, "Right"),
        ("multi", {"choice": ["0"]}, "Partly right"),
        ("multi", {"choice": ["0", "2"]}, "Not quite"),
        ("truefalse", {"choice": "true"}, "Right"),
        ("typed", {"text": "  not   FOUND. "}, "Right"),
        ("spot_line", {"line": "3"}, "Right"),
        ("spot_line", {"line": "1"}, "Not quite"),
        ("match", {"match-0": "0", "match-1": "2", "match-2": "1"}, "Partly right"),
    ],
)
def test_each_question_type_is_scored_from_the_form(client, learner, kind, post, verdict):
    run = _run(learner, kind=kind)
    client.post(_answer_url(run), {"position": 0, **post})
    body = client.get(reverse("quiz:feedback", args=[run.pk, 0])).content.decode()
    assert f"</span> {verdict}</h2>" in body or f" {verdict}</h2>" in body


# --- the page follows what just happened (issue 10, points 2 and 4) --------


def test_htmx_question_and_feedback_mark_where_focus_goes(client, learner, htmx_headers):
    run = _run(learner)
    question = client.get(reverse("quiz:run", args=[run.pk]), headers=htmx_headers).content.decode()
    assert question.lstrip().startswith('<section id="quiz-card"')
    assert '<fieldset id="question"' in question and "data-focus-here" in question
    feedback = client.post(
        _answer_url(run), {"position": 0, "choice": 0}, headers=htmx_headers
    ).content.decode()
    assert 'id="feedback"' in feedback and 'tabindex="-1" data-focus-here' in feedback
    assert "autofocus" not in feedback


def test_an_inline_error_takes_the_focus_mark_from_the_question(client, learner, htmx_headers):
    run = _run(learner, kind="multi")
    body = client.post(_answer_url(run), {"position": 0}, headers=htmx_headers).content.decode()
    assert 'id="answer-error" tabindex="-1" data-focus-here' in body
    assert body.count("data-focus-here") == 1


def test_multi_select_feedback_reads_plainly(client, learner):
    run = _run(learner, kind="multi", n=1)
    client.post(_answer_url(run), {"position": 0, "choice": ["0", "2"]})
    body = client.get(reverse("quiz:feedback", args=[run.pk, 0])).content.decode()
    assert "You ticked GET: right, GET is one of them." in body
    assert "You ticked POST, but POST is not one of them." in body
    assert "You left HEAD unticked, but HEAD is one of them." in body
    assert "You left PATCH unticked: right, PATCH is not one of them." in body
    assert "wrong option" not in body and "you left it" not in body


def test_multi_select_feedback_gives_each_option_its_reason_and_section(client, learner):
    topic = TopicFactory()
    data = question_data("multi", "methods-idempotent")
    data["options"] = [
        {
            "text": "PUT",
            "correct": True,
            "why": "PUT is idempotent",
            "reference": "RFC 9110 §9.2.2",
        },
        {"text": "POST", "correct": False, "why": "POST is not idempotent", "reference": None},
        {
            "text": "DELETE",
            "correct": True,
            "why": "DELETE is idempotent",
            "reference": "RFC 9110 §9.2.2",
        },
        {
            "text": "`CONNECT`",
            "correct": False,
            "why": "it opens a new tunnel each time",
            "reference": "RFC 9110 §9.3.6",
        },
    ]
    QuestionFactory(topic=topic, kind="multi", data=data)
    run = quiz_run_start(user=learner, kind="topic", topic=topic)
    card = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert "PUT" in card and "is idempotent" not in card  # the reasons wait for the answer
    client.post(_answer_url(run), {"position": 0, "choice": ["0", "1"]})

    body = client.get(reverse("quiz:feedback", args=[run.pk, 0])).content.decode()

    marks = body[
        body.index('<ul class="marks">') : body.index("</ul>", body.index('<ul class="marks">'))
    ]
    assert [line.strip() for line in marks.split("<li>")[1:]] == [
        '<span aria-hidden="true">✓</span> You ticked PUT: right, PUT is idempotent (RFC 9110 §9.2.2).</li>',
        '<span aria-hidden="true">✗</span> You ticked POST, but POST is not idempotent.</li>',
        '<span aria-hidden="true">✗</span> You left DELETE unticked, but DELETE is idempotent'
        " (RFC 9110 §9.2.2).</li>",
        '<span aria-hidden="true">✓</span> You left <code>CONNECT</code> unticked: right, it opens'
        " a new tunnel each time (RFC 9110 §9.3.6).</li>",
    ]


def test_spot_the_line_is_a_choice_confirmed_by_the_check_button(client, learner):
    run = _run(learner, kind="spot_line", n=1)
    body = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert body.count('type="radio" name="line"') == 3
    assert 'type="submit" name="line"' not in body and "Check my answer" in body
    assert client.post(_answer_url(run), {"position": 0, "line": "3"}).status_code == 302
    assert Answer.objects.get().given == 3


def test_summary_renders_markdown_xp_and_another_run(client, learner):
    topic = TopicFactory(slug="methods")
    for index in range(2):
        QuestionFactory(
            topic=topic,
            kind="truefalse",
            prompt=f"Look:\n\n```\nGET /{index} HTTP/1.1\nHost: x\n```\n",
        )
    run = quiz_run_start(user=learner, kind="topic", topic=topic)
    for position in range(2):
        client.post(_answer_url(run), {"position": position, "choice": "true"})
    body = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert "<pre><code>GET /0 HTTP/1.1\nHost: x\n</code></pre>" in body
    assert "+20 XP earned in this run." in body
    assert 'name="topic" value="methods"' in body and "Start another run" in body


def test_a_second_run_of_the_same_questions_earns_no_new_xp(client, learner, htmx_headers):
    run = _run(learner, kind="truefalse", n=1)
    client.post(_answer_url(run), {"position": 0, "choice": "true"})
    again = quiz_run_start(user=learner, kind="topic", topic=run.topic)
    assert again.pk != run.pk
    client.post(_answer_url(again), {"position": 0, "choice": "true"})
    body = client.get(reverse("quiz:run", args=[again.pk]), headers=htmx_headers).content.decode()
    assert "No new XP in this run: each question pays XP only the first time" in body
    assert "+10 XP" in client.get(reverse("quiz:run", args=[run.pk])).content.decode()


def test_a_mixed_run_offers_another_mixed_run(client, learner):
    QuestionFactory(kind="truefalse")
    run = quiz_run_start(user=learner, kind="mixed", topic=None)
    for position in range(run.size):
        client.post(_answer_url(run), {"position": position, "choice": "false"})
    body = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert 'name="topic" value="mixed"' in body and "No new XP in this run." in body


def test_a_strangers_summary_is_404(client, learner):
    run = _run(UserFactory(), kind="truefalse", n=1)
    assert client.get(reverse("quiz:run", args=[run.pk])).status_code == 404


def _code_options_run(user):
    """A one-question run whose options are code in Markdown backticks; the right one is second."""
    topic = TopicFactory()
    data = question_data("single", "content-type-html")
    data["options"] = [
        {"text": "`text/plain`", "correct": False},
        {"text": "`text/html`; charset in a parameter", "correct": True},
        {"text": "`<b>bold</b>`", "correct": False},
    ]
    QuestionFactory(topic=topic, kind="single", data=data)
    return quiz_run_start(user=user, kind="topic", topic=topic)


def test_option_code_reads_as_code_on_the_card_in_feedback_and_in_the_summary(client, learner):
    run = _code_options_run(learner)
    card = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert "<code>text/html</code>; charset in a parameter" in card
    client.post(_answer_url(run), {"position": 0, "choice": "0"})

    feedback = client.get(reverse("quiz:feedback", args=[run.pk, 0])).content.decode()
    summary = client.get(reverse("quiz:run", args=[run.pk])).content.decode()

    assert "You answered: <strong><code>text/plain</code></strong>" in feedback
    assert (
        "The right answer: <strong><code>text/html</code>; charset in a parameter</strong>"
        in feedback
    )
    assert "You answered: <code>text/plain</code>" in summary
    assert "Right answer: <code>text/html</code>; charset in a parameter" in summary
    for body in (card, feedback, summary):
        assert "`text/" not in body
        assert "<b>bold</b>" not in body  # code in an option is shown, never run as HTML


def test_a_typed_answer_is_shown_as_typed_not_as_markdown_or_html(client, learner):
    run = _run(learner, kind="typed", n=1)
    client.post(_answer_url(run), {"position": 0, "text": "`<i>x</i>`"})
    feedback = client.get(reverse("quiz:feedback", args=[run.pk, 0])).content.decode()
    assert "You answered: <strong>`&lt;i&gt;x&lt;/i&gt;`</strong>" in feedback
