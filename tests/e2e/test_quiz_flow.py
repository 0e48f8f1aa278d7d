import copy

import pytest
from playwright.sync_api import expect

from accounts.models import XpAward
from quiz.models import Answer
from tests.e2e.helpers import logged_in
from tests.e2e.test_accessibility import AXE, RUN_AXE
from tests.factories import QuestionFactory, TopicFactory, question_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KINDS = ["single", "multi", "truefalse", "typed", "spot_line", "match"]


def _answer_correctly(page, kind):
    card = page.locator("#quiz-card")
    if kind == "single":
        card.get_by_label("201 Created").check()
    elif kind == "multi":
        card.get_by_label("GET", exact=True).check()
        card.get_by_label("HEAD").check()
    elif kind == "truefalse":
        card.get_by_label("True").check()
    elif kind == "typed":
        card.get_by_label("Your answer").fill(" not found ")
    elif kind == "match":
        for left, right in (
            ("401", "Send credentials"),
            ("403", "Not allowed"),
            ("404", "Nothing here"),
        ):
            card.get_by_label(left, exact=True).select_option(label=right)
    elif kind == "spot_line":
        card.get_by_label("(line 3)").check()
    card.get_by_role("button", name="Check my answer").click()


def test_a_whole_quiz_with_every_question_type(page, tmp_path):
    topic = TopicFactory(title="Every type")
    for kind in KINDS:
        QuestionFactory(topic=topic, kind=kind, slug=f"q-{kind.replace('_', '-')}")
    user = logged_in(page)
    page.goto("/quiz/")
    page.get_by_role("button", name="Start Every type").click()
    for number in range(1, len(KINDS) + 1):
        expect(page.get_by_text(f"Question {number} of {len(KINDS)}")).to_be_visible()
        slug = (
            page.locator(".prompt p")
            .first.inner_text()
            .removeprefix("Prompt of ")
            .removesuffix("?")
        )
        kind = slug.removeprefix("q-").replace("-", "_")
        _answer_correctly(page, kind)
        expect(page.get_by_role("heading", name="✓ Right")).to_be_visible()
        expect(page.get_by_text(f"Why {slug}.")).to_be_visible()
        page.screenshot(path=tmp_path / f"feedback-{number}.png")
        page.locator("#quiz-card").get_by_role("link", name="Next question").or_(
            page.get_by_role("link", name="See your results")
        ).click()
    expect(
        page.get_by_role("heading", name=f"Run finished: {len(KINDS)} of {len(KINDS)} right")
    ).to_be_visible()
    assert Answer.objects.filter(user=user, correct=True).count() == len(KINDS)
    assert XpAward.objects.filter(user=user, source__startswith="quiz:").count() == len(KINDS)


def test_leaving_and_coming_back_resumes_the_run(page):
    topic = TopicFactory(title="Resume me")
    for index in range(3):
        QuestionFactory(topic=topic, kind="truefalse", slug=f"tf-{index}")
    logged_in(page)
    page.goto("/quiz/")
    page.get_by_role("button", name="Start Resume me").click()
    page.locator("#quiz-card").get_by_label("False").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="✗ Not quite")).to_be_visible()
    page.goto("/quiz/")
    page.get_by_role("button", name="Resume (1 of 3 done) Resume me").click()
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()


def _active_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def _start(page, title, kind, count, **fields):
    topic = TopicFactory(title=title)
    for index in range(count):
        QuestionFactory(topic=topic, kind=kind, slug=f"{kind.replace('_', '-')}-{index}", **fields)
    user = logged_in(page)
    page.goto("/quiz/")
    page.get_by_role("button", name=f"Start {title}").click()
    expect(page.get_by_text(f"Question 1 of {count}")).to_be_visible()
    return user


def test_keyboard_focus_follows_check_and_next_question(page):
    _start(page, "Focus", "truefalse", 2)
    page.locator("#quiz-card").get_by_label("True").check()
    page.get_by_role("button", name="Check my answer").press("Enter")
    expect(page.get_by_role("heading", name="✓ Right")).to_be_visible()
    expect(page.locator("#feedback")).to_be_focused()
    assert (
        _active_id(page) == "feedback"
    )  # document.activeElement itself, as a screen reader sees it

    # From the feedback, "Next question" is a couple of Tabs away (past the source link).
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Next question":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Next question"
    page.keyboard.press("Enter")
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    expect(page.locator("#question")).to_be_focused()

    # One Tab reaches the first answer; the keyboard alone answers the question.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "choice"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # a radio group is one stop: on to the Check button
    expect(page.get_by_role("button", name="Check my answer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#feedback")).to_be_focused()


def test_an_error_takes_focus_to_its_message(page):
    _start(page, "Error focus", "multi", 1)
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one option")
    expect(page.locator("#answer-error")).to_be_focused()


IDEMPOTENT = "RFC 9110 §9.2.2"
MULTI_WHYS = {
    "GET": ("GET is safe, and every safe method is idempotent", IDEMPOTENT),
    "HEAD": ("HEAD is GET without the content, so it is just as idempotent", IDEMPOTENT),
    "POST": ("POST is not idempotent, since two identical POSTs may create two orders", None),
    "PATCH": ("PATCH is not idempotent by definition", IDEMPOTENT),
}


def _multi_with_whys():
    data = copy.deepcopy(question_data("multi", "multi-0"))  # its options are shared dicts
    for option in data["options"]:
        option["why"], option["reference"] = MULTI_WHYS[option["text"]]
    return data


def test_multi_select_feedback_says_plainly_what_you_ticked(page):
    _start(page, "Plain marks", "multi", 1, data=_multi_with_whys())
    card = page.locator("#quiz-card")
    card.get_by_label("GET", exact=True).check()
    card.get_by_label("POST").check()
    card.get_by_role("button", name="Check my answer").click()
    marks = page.locator(".marks li")
    expect(marks).to_have_text(
        [
            "✓ You ticked GET: right, GET is safe, and every safe method is idempotent"
            " (RFC 9110 §9.2.2).",
            "✗ You left HEAD unticked, but HEAD is GET without the content, so it is just as"
            " idempotent (RFC 9110 §9.2.2).",
            "✗ You ticked POST, but POST is not idempotent, since two identical POSTs may create"
            " two orders.",
            "✓ You left PATCH unticked: right, PATCH is not idempotent by definition"
            " (RFC 9110 §9.2.2).",
        ]
    )
    expect(page.locator(".marks")).not_to_contain_text("wrong option")
    expect(page.locator(".marks")).not_to_contain_text("one of them")


def test_reasons_with_code_pass_axe_in_light_and_dark_mode(page):
    page.context.add_init_script(path=str(AXE))
    data = _multi_with_whys()
    data["options"][2] = {
        "text": "`POST /orders`",
        "correct": False,
        "why": "`POST` is not idempotent, since two identical POSTs may create two orders",
        "reference": IDEMPOTENT,
    }
    _start(page, "Reasons", "multi", 1, data=data)
    page.locator("#quiz-card").get_by_label("POST /orders").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator(".marks code").first).to_have_text("POST /orders")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate(RUN_AXE) == [], scheme


def test_spot_the_line_counts_a_click_only_after_the_check(page):
    user = _start(page, "Spot it", "spot_line", 1)
    card = page.locator("#quiz-card")
    card.get_by_label("(line 2)").click()
    card.get_by_label("(line 3)").click()  # changing one's mind costs nothing
    expect(card.get_by_label("(line 3)")).to_be_checked()
    assert not Answer.objects.filter(user=user).exists()
    card.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="✓ Right")).to_be_visible()
    assert Answer.objects.get(user=user).given == 3


def test_the_summary_keeps_code_lines_shows_xp_and_offers_another_run(page, tmp_path):
    prompt = "What is wrong here?\n\n```\nGET /books HTTP/1.1\nHost : example.org\n```\n"
    _start(page, "Summary", "truefalse", 2, prompt=prompt)
    for number in (1, 2):
        expect(page.get_by_text(f"Question {number} of 2")).to_be_visible()
        page.locator("#quiz-card").get_by_label("True").check()
        page.get_by_role("button", name="Check my answer").click()
        page.get_by_role("link", name="Next question").or_(
            page.get_by_role("link", name="See your results")
        ).click()
    expect(page.get_by_role("heading", name="Run finished: 2 of 2 right")).to_be_visible()
    code = page.locator(".review pre code").first
    expect(code).to_have_text("GET /books HTTP/1.1\nHost : example.org\n")
    expect(page.locator("#quiz-card")).to_contain_text("+20 XP earned in this run.")
    page.screenshot(path=tmp_path / "summary.png", full_page=True)
    page.get_by_role("button", name="Start another run").click()
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
