"""A learner's review and beliefs in the browser: the nav link, the review page's practice
run, and 'Practise this' from the dashboard; axe finds no serious violation on either page."""

import copy
from pathlib import Path

import pytest
from django.utils import timezone

from curriculum.models import Misconception
from quiz.models import QuestionProgress, QuizRun
from quiz.services import quiz_answer_submit
from tests.e2e.helpers import logged_in
from tests.factories import MisconceptionFactory, QuestionFactory, question_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = """async () => (await axe.run(document)).violations
  .filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)"""


def _believer(user) -> Misconception:
    """Three questions link a misconception; the learner chose its option in one of them."""
    belief = MisconceptionFactory(belief="A 200 answers every creation.")
    questions = []
    for _ in range(3):
        question = QuestionFactory()
        data = copy.deepcopy(question_data("single", question.slug, question.topic.slug))
        data["options"][1]["misconception"] = belief.slug
        question.data = data
        question.save()
        questions.append(question)
    run = QuizRun.objects.create(
        user=user, kind=QuizRun.Kind.MIXED, question_ids=[questions[0].pk], layout={}
    )
    quiz_answer_submit(run=run, position=0, answer=1)
    QuestionProgress.objects.filter(user=user).update(due_at=timezone.now())
    return belief


def _axe(page) -> list[str]:
    return page.evaluate(SERIOUS)


def test_review_page_and_practise_this(page):
    # An init script, as the accessibility tour does: the CSP blocks an injected tag.
    page.context.add_init_script(path=str(AXE))
    user = logged_in(page)
    _believer(user)
    page.goto("/dashboard/")
    assert (
        "1 due now: 1 question, 0 challenges."
        in page.locator("#review-card-heading + p").inner_text()
    )
    page.locator("#beliefs-heading").wait_for()
    page.get_by_text("Evidence: 1 time").click()
    assert page.get_by_text("You chose: 200 OK").is_visible()
    assert _axe(page) == []

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    page.wait_for_url("**/learn/review/")
    assert _axe(page) == []
    page.get_by_role("button", name="Start a practice run").click()
    page.wait_for_url("**/quiz/runs/**")
    assert page.get_by_text("Practice of mistakes").count() >= 1

    page.goto("/dashboard/")
    page.get_by_role("button", name="Practise this").click()
    page.wait_for_url("**/quiz/runs/**")
    run = QuizRun.objects.get(user=user, kind=QuizRun.Kind.BELIEF)
    assert run.size == 3 and page.url.endswith(f"/quiz/runs/{run.pk}/")
