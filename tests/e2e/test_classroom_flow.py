import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import logged_in
from tests.factories import ChallengeFactory, QuestionFactory, TopicFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")


def test_instructor_assigns_a_set_and_sees_a_learners_solve(page, tmp_path):
    ChallengeFactory(slug="fetch-book", title="Fetch book one")
    QuestionFactory(topic=TopicFactory(slug="methods", title="Methods"))

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


# --- Instructors' tools (issue 10, point 6) -------------------------------------------------


def _group_page(page, *, members=("Mo",), items=2):
    """Log in as an owner of a group with members and an assignment of `items` challenges."""
    from classroom.services import assignment_create, set_save
    from tests.factories import UserFactory, group_with

    owner = logged_in(page, display_name="Teacher")
    learners = [UserFactory(display_name=name) for name in members]
    group = group_with(owner, members=learners)
    slugs = []
    for n in range(items):
        challenge = ChallengeFactory(title=f"A challenge with a rather long title, number {n + 1}")
        slugs.append(f"challenge:{challenge.slug}")
    challenge_set = set_save(author=owner, title="Week one", description="", items=slugs)
    assignment = assignment_create(actor=owner, group=group, challenge_set=challenge_set)
    page.goto(f"/groups/{group.pk}/")
    return group, assignment, learners


def test_removing_an_assignment_asks_in_a_dialog_first(page):
    from classroom.models import Assignment

    group, assignment, _ = _group_page(page)
    remove = page.get_by_role("button", name="Remove Week one")
    remove.click()
    dialog = page.get_by_role("dialog", name="Remove this assignment?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Week one will no longer be assigned to HTTP 101")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(remove).to_be_focused()
    assert Assignment.objects.filter(pk=assignment.pk).exists()

    remove.click()
    dialog.get_by_role("button", name="Remove the assignment").click()
    expect(page.get_by_text("The assignment is removed.")).to_be_visible()
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_removing_a_member_and_a_new_code_ask_first(page):
    from classroom.models import Membership, StudyGroup

    group, _, [mo] = _group_page(page)
    page.get_by_role("button", name="Remove Mo").click()
    dialog = page.get_by_role("dialog", name="Remove Mo?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert Membership.objects.filter(group=group, user=mo).exists()
    page.get_by_role("button", name="Remove Mo").click()
    dialog.get_by_role("button", name="Remove Mo").click()
    expect(page.get_by_text("Mo is no longer in the group.")).to_be_visible()
    assert not Membership.objects.filter(group=group, user=mo).exists()

    old_code = group.join_code
    page.get_by_role("button", name="New code (the old one stops working)").click()
    dialog = page.get_by_role("dialog", name="Make a new join code?")
    expect(dialog).to_contain_text(f"The code {old_code} will stop working at once")
    page.keyboard.press("Escape")
    assert StudyGroup.objects.get(pk=group.pk).join_code == old_code
    page.get_by_role("button", name="New code (the old one stops working)").click()
    dialog.get_by_role("button", name="Make a new code").click()
    expect(page.get_by_text("The old one no longer works.")).to_be_visible()
    assert StudyGroup.objects.get(pk=group.pk).join_code != old_code


@pytest.mark.parametrize("width", [1280, 375])
def test_the_matrix_keeps_the_learner_column_and_says_what_is_off_screen(page, width, tmp_path):
    group, assignment, _ = _group_page(page, members=("Ada Lovelace", "Bo"), items=7)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/groups/{group.pk}/assignments/{assignment.pk}/")
    wrap = page.locator(".matrix-wrap")
    note = page.locator("#matrix-more")
    expect(note).to_have_text(re.compile(r"^\d+ more columns? to the right: scroll"))
    name = page.get_by_role("rowheader", name="Ada Lovelace")
    left_before = name.bounding_box()["x"]
    page.screenshot(path=tmp_path / f"matrix-{width}-start.png")
    wrap.evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    expect(note).to_have_text(re.compile(r"^\d+ more columns? to the left: scroll"))
    assert abs(name.bounding_box()["x"] - left_before) < 1  # sticky: it did not scroll away
    last = page.get_by_role("columnheader", name="Done")
    assert last.bounding_box()["x"] > name.bounding_box()["x"] + name.bounding_box()["width"] - 1
    page.screenshot(path=tmp_path / f"matrix-{width}-end.png")
    # The page itself never scrolls sideways: only the matrix does.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_set_authoring_filters_and_orders_items_by_keyboard(page):
    from classroom.models import ChallengeSet

    for title in ("Alpha request", "Beta request", "Gamma request", "Delta request"):
        ChallengeFactory(title=title)
    QuestionFactory(topic=TopicFactory(slug="methods", title="Methods"))
    logged_in(page)
    page.goto("/groups/sets/new/")
    page.get_by_label("Title").fill("Ordered")
    search = page.get_by_label("Filter the items to add")
    search.fill("gam")
    expect(page.get_by_label("Gamma request")).to_be_visible()
    expect(page.get_by_label("Alpha request")).to_be_hidden()
    expect(page.get_by_label("Quiz: Methods")).to_be_hidden()
    expect(page.locator("#item-filter-count")).to_have_text("1 of 5 items match.")
    page.get_by_label("Gamma request").check()  # it moves up into the ordered list
    expect(page.locator("#item-filter-count")).to_have_text("0 of 4 items match.")
    expect(page.locator("[data-choices] fieldset:visible")).to_have_count(0)  # no empty groups
    search.fill("")
    for title in ("Alpha request", "Beta request"):
        page.get_by_label(title).check()
    ordered = page.locator("[data-order] > li")
    expect(ordered.locator("label")).to_have_text(
        ["Gamma request", "Alpha request", "Beta request"]
    )
    up = page.get_by_role("button", name="Move Beta request up")
    up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-order-status]")).to_have_text("Beta request is now item 2 of 3.")
    expect(up).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-order-status]")).to_have_text("Beta request is now item 1 of 3.")
    expect(page.get_by_role("button", name="Move Beta request down")).to_be_focused()
    page.get_by_role("button", name="Save the set").click()
    expect(page.get_by_text("The set Ordered is saved.")).to_be_visible()
    saved = ChallengeSet.objects.get(title="Ordered")
    assert [item.label for item in saved.items.all()] == [
        "Beta request",
        "Gamma request",
        "Alpha request",
    ]
    page.goto(f"/groups/sets/{saved.pk}/edit/")
    expect(ordered.locator("label")).to_have_text(
        ["Beta request", "Gamma request", "Alpha request"]
    )


def test_leaderboard_tabs_set_the_address_and_back_returns(page):
    group, _, _ = _group_page(page)
    page.get_by_label("Colours").select_option("dark")
    tabs = page.get_by_role("navigation", name="Period")
    tabs.get_by_role("link", name="This week").click()
    expect(page).to_have_url(re.compile(rf"/groups/{group.pk}/\?period=week$"))
    expect(tabs.get_by_role("link", name="This week")).to_have_attribute("aria-current", "page")
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/groups/{group.pk}/$"))
    expect(
        page.get_by_role("navigation", name="Period").get_by_role("link", name="All time")
    ).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="HTTP 101", level=1)).to_be_visible()
    expect(page.get_by_label("Colours")).to_have_value("dark")  # the restored page knows it
    page.goto(f"/groups/{group.pk}/?period=week")  # a bookmark
    expect(tabs.get_by_role("link", name="This week")).to_have_attribute("aria-current", "page")


def test_a_learner_opens_every_item_of_an_assignment_quiz_included(page):
    from classroom.services import assignment_create, set_save
    from tests.factories import QuestionFactory, UserFactory, group_with

    challenge = ChallengeFactory(title="Fetch book one")
    topic = TopicFactory(slug="methods", title="Methods")
    for _ in range(3):
        QuestionFactory(topic=topic)
    owner = UserFactory()
    learner = logged_in(page)
    group = group_with(owner, members=[learner])
    challenge_set = set_save(
        author=owner,
        title="Mixed",
        description="",
        items=[f"challenge:{challenge.slug}", "quiz:methods"],
    )
    assignment_create(actor=owner, group=group, challenge_set=challenge_set)
    page.goto(f"/groups/{group.pk}/")
    expect(page.get_by_role("link", name="Fetch book one")).to_have_attribute(
        "href", f"/challenges/{challenge.slug}/"
    )
    page.get_by_role("button", name="Quiz: Methods (start a run)").click()
    page.wait_for_url("**/quiz/runs/**")
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()


def test_matrix_sort_sets_the_address_and_the_page_still_works_after_back(page):
    group, assignment, _ = _group_page(page, members=("Ada", "Bo"), items=7)
    url = f"/groups/{group.pk}/assignments/{assignment.pk}/"
    page.goto(url)
    page.get_by_role("link", name="progress").click()
    expect(page).to_have_url(re.compile(r"\?sort=progress$"))
    expect(page.locator("#matrix")).to_contain_text("Sort by: name · progress")
    page.go_back()
    expect(page).to_have_url(re.compile(rf"{url}$"))
    expect(page.get_by_role("link", name="progress")).to_be_visible()
    note = page.locator("#matrix-more")
    page.locator(".matrix-wrap").evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    expect(note).to_have_text(re.compile(r"more columns? to the left"))
