import pytest
from playwright.sync_api import expect

from accounts.models import XpAward
from quiz.models import Answer
from tests.e2e.helpers import logged_in
from tests.factories import QuestionFactory, TopicFactory

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
    if kind == "spot_line":
        card.get_by_role("button", name="(line 3)").click()
    else:
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
