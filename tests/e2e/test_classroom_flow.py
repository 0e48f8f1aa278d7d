import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import logged_in
from tests.factories import ChallengeFactory, TopicFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")


def test_instructor_assigns_a_set_and_sees_a_learners_solve(page, tmp_path):
    ChallengeFactory(slug="fetch-book", title="Fetch book one")
    TopicFactory(slug="methods", title="Methods")

    logged_in(page, display_name="Teacher")
    page.goto("/groups/")
    page.get_by_label("Name").fill("Tuesday class")
    page.get_by_role("button", name="Create the group").click()
    code = page.locator("code.join-code").inner_text()
    group_url = page.url

    page.goto("/groups/sets/new/")
    page.get_by_label("Title").fill("First steps")
    page.get_by_label("Fetch book one").check()
    page.get_by_label("Quiz: Methods").check()
    page.get_by_role("button", name="Save the set").click()
    expect(page.get_by_text("The set First steps is saved.")).to_be_visible()

    page.goto(group_url)
    page.get_by_label("Set").select_option(label="First steps")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned First steps.")).to_be_visible()
    _log_out(page)

    logged_in(page, display_name="Learner Lin")
    page.goto("/groups/")
    page.get_by_label("Join code").fill(code)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_text("Welcome to Tuesday class!")).to_be_visible()
    page.goto("/challenges/fetch-book/")
    page.get_by_label("Your raw request").fill("GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Solved! +20 XP.")).to_be_visible()
    page.goto(group_url)
    expect(page.locator("#board")).to_contain_text("Learner Lin (you)")
    _log_out(page)

    page.goto("/accounts/login/")
    from classroom.models import StudyGroup

    teacher = StudyGroup.objects.get().owner
    page.get_by_label("Username").fill(teacher.username)
    page.get_by_label("Password").fill("correct-horse-battery-9")
    page.get_by_role("button", name="Log in").click()
    page.goto(group_url)
    page.get_by_role("link", name="Progress matrix").click()
    row = page.get_by_role("row", name="Learner Lin")
    expect(row).to_contain_text("✓ Solved")
    expect(row).to_contain_text("○ Not started")
    page.screenshot(path=tmp_path / "matrix.png", full_page=True)
    row.get_by_role("link", name="✓ Solved").click()
    expect(page.locator(".raw-response").first).to_contain_text("HTTP/1.1 200 OK")
    page.goto(group_url)
    expect(page.locator("#board")).to_contain_text("Learner Lin")
