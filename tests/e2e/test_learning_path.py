"""The path in a browser: a new learner works through unit 1; another skips ahead by placement.

Runs on the real content (load_content); each try-it box of unit 1 is sent
(the box's own behaviour is tested in tests/e2e by its author).
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from challenges.models import Challenge
from curriculum.models import Unit, UnitProgress
from quiz.models import Question, QuizRun
from quiz.questions import correct_answer
from tests.e2e.test_accessibility import AXE, RUN_AXE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(transactional_db):
    call_command("load_content", verbosity=0)
    return list(Unit.objects.filter(is_active=True).order_by("number"))


def _sign_up(page, username):
    page.context.add_init_script(path=str(AXE))
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password", exact=True).fill("request-line-crlf-1997")
    page.get_by_label("Password confirmation").fill("request-line-crlf-1997")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/dashboard/")


def _no_serious_violations(page):
    assert page.evaluate(RUN_AXE) == []


def _answer_current(page, run, *, right=True):
    """Answer the question on screen, knowing its answer from the bank."""
    card = page.locator("#quiz-card")
    position = int(card.locator('input[name="position"]').get_attribute("value"))
    data = Question.objects.get(pk=run.question_ids[position]).data
    answer = correct_answer(data)
    kind = data["type"]
    if kind == "single":
        choice = answer if right else next(i for i in range(len(data["options"])) if i != answer)
        card.locator(f'input[name="choice"][value="{choice}"]').check()
    elif kind == "multi":
        for index in (
            answer if right else [i for i in range(len(data["options"])) if i not in answer][:1]
        ):
            card.locator(f'input[name="choice"][value="{index}"]').check()
    elif kind == "truefalse":
        value = "true" if answer == right else "false"
        card.locator(f'input[name="choice"][value="{value}"]').check()
    elif kind == "typed":
        card.get_by_label("Your answer").fill(answer if right else "no idea")
    elif kind == "spot_line":
        line = answer if right else (1 if answer != 1 else 2)
        card.locator(f'input[name="line"][value="{line}"]').check()
    elif kind == "match":
        for index in answer:
            value = index if right else (index + 1) % len(answer)
            card.locator(f"#match-{index}").select_option(value=str(value))
    card.get_by_role("button", name="Check my answer").click()
    expect(card.locator("#feedback")).to_be_focused()


def _finish_run(page, user_name, kind, *, wrong=0):
    run = QuizRun.objects.filter(user__username=user_name, kind=kind).latest("started_at")
    for position in range(run.size):
        _answer_current(page, run, right=position >= wrong)
        card = page.locator("#quiz-card")
        card.get_by_role("link", name="Next question").or_(
            card.get_by_role("link", name="See your results")
        ).click()
    expect(page.get_by_role("heading", name="Run finished")).to_be_focused()
    return run


def test_a_new_learner_works_through_unit_one(page, content, tmp_path):
    first, second = content[0], content[1]
    _sign_up(page, "grace")
    expect(page.get_by_role("heading", name="Continue: unit 1, step 1")).to_be_visible()
    page.goto("/learn/")
    _no_serious_violations(page)
    page.get_by_role("link", name=f"Unit 1: {first.title}", exact=True).click()
    expect(page.get_by_role("heading", name=first.title, level=1)).to_be_visible()
    expect(page.locator(".lesson a.citation").first).to_have_attribute(
        "href", "https://www.rfc-editor.org/rfc/rfc9110#section-3.3"
    )
    # Each box sends the lesson's own request to the learner's sandbox.
    boxes = page.locator(".lesson .try-it")
    expect(boxes).to_have_count(len(first.lesson.try_its))
    for index, try_it in enumerate(first.lesson.try_its):
        box = boxes.nth(index)
        box.get_by_role("button", name="Send", exact=True).click()
        status = try_it["expect"]["status"]
        expect(box.locator(".try-it-result")).to_contain_text(f"HTTP/1.1 {status}")
    sent = UnitProgress.objects.get(user__username="grace", unit=first).tries_sent
    assert set(sent) == {try_it["slug"] for try_it in first.lesson.try_its}
    _no_serious_violations(page)

    page.get_by_role("button", name="I have read the lesson").click()
    expect(page.locator("#steps-heading")).to_be_focused()
    expect(page.locator("#steps")).to_contain_text("✓ Read")

    page.get_by_role("button", name="Start the checkpoint").click()
    expect(page.get_by_text(f"Question 1 of {len(first.checkpoint_questions)}")).to_be_visible()
    _no_serious_violations(page)
    _finish_run(page, "grace", "checkpoint")
    total = len(first.checkpoint_questions)
    expect(page.get_by_text(f"Checkpoint: {total} of {total} right (100%)")).to_be_visible()
    expect(page.get_by_text("Solve the challenges to complete the unit")).to_be_visible()

    for slug in first.checkpoint_challenges:
        challenge = Challenge.objects.get(slug=slug)
        page.goto(f"/challenges/{slug}/")
        for number, step_request in enumerate(challenge.solution, start=1):
            page.get_by_label("Your raw request").fill(step_request)
            page.get_by_role("button", name="Send request").click()
            done = "Solved!" if number == len(challenge.solution) else f"On to step {number + 1}"
            expect(page.locator("#result")).to_contain_text(done)

    page.goto(f"/learn/{first.slug}/")
    moment = page.locator(".unit-complete")
    expect(moment).to_contain_text("Unit 1 complete!")
    page.screenshot(path=tmp_path / "unit-complete.png", full_page=True)
    moment.get_by_role("link", name=f"Start unit 2: {second.title}").click()
    expect(page.locator(".unit-locked")).to_have_count(0)
    expect(page.get_by_role("button", name="Start the checkpoint")).to_be_visible()

    page.goto("/learn/")
    expect(page.locator(".path-progress")).to_contain_text(re.compile(r"^1 of \d+ units complete"))
    expect(page.get_by_role("heading", name="Continue: unit 2, step 1")).to_be_visible()
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Continue: unit 2, step 1")).to_be_visible()
    page.goto(f"/learn/{first.slug}/")
    expect(page.locator(".unit-complete")).to_have_count(0)  # the moment happens once


def test_a_second_learner_skips_ahead_with_the_placement_check(page, content):
    third = content[2]
    _sign_up(page, "linus")
    page.goto("/learn/")
    page.get_by_label("Skip to").select_option(label=f"Unit 3: {third.title}")
    page.get_by_role("button", name="Start the placement check").click()
    expect(page.get_by_text("Placement check: skip to unit 3")).to_be_visible()
    _finish_run(page, "linus", "placement", wrong=0)
    expect(page.locator(".path-outcome")).to_contain_text("unit 3 is open")
    page.get_by_role("link", name="Go to unit 3").click()
    expect(page.get_by_role("button", name="Start the checkpoint")).to_be_visible()
    vias = set(
        UnitProgress.objects.filter(user__username="linus").values_list("completed_via", flat=True)
    )
    assert vias == {"placement"}
    page.goto("/learn/")
    expect(page.locator(".path-progress")).to_contain_text(re.compile(r"^2 of \d+ units complete"))
    expect(page.get_by_role("heading", name="Continue: unit 3, step 1")).to_be_visible()


def test_a_failed_placement_check_says_so_and_changes_nothing(page, content):
    _sign_up(page, "ken")
    page.goto("/learn/")
    page.get_by_label("Skip to").select_option(label=f"Unit 2: {content[1].title}")
    page.get_by_role("button", name="Start the placement check").click()
    run = QuizRun.objects.get(user__username="ken", kind="placement")
    _finish_run(page, "ken", "placement", wrong=run.size)
    expect(page.locator(".path-outcome")).to_contain_text("nothing changed")
    assert not UnitProgress.objects.filter(
        user__username="ken", completed_at__isnull=False
    ).exists()
