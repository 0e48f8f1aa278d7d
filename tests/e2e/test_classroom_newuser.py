"""What a new-user trial found in the browser: the phone menu, the group page's layout,
a refused Assign, the header name after a save, and axe on the pages this changed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from challenges.models import ChallengeProgress
from classroom.services import assignment_create, set_save
from tests.e2e.helpers import logged_in
from tests.e2e.test_accessibility import AXE, RUN_AXE
from tests.factories import ChallengeFactory, UserFactory, group_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def _group_with_assignment(owner, members=()):
    ChallengeFactory(slug="fetch-book", title="Fetch book one")
    group = group_with(owner, members=list(members))
    challenge_set = set_save(
        author=owner, title="Week 1: speaking HTTP", description="", items=["challenge:fetch-book"]
    )
    assignment = assignment_create(
        actor=owner,
        group=group,
        challenge_set=challenge_set,
        due_at=timezone.now() + timedelta(days=7),
    )
    return group, assignment, challenge_set


def _no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_account_menu_opens_inside_a_phone_screen(page):
    page.set_viewport_size(PHONE)
    logged_in(page, username="newbie2", display_name="")
    page.locator("details.menu summary").click()
    menu = page.locator("details.menu ul")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    _no_sideways_scroll(page, PHONE["width"])
    expect(page.get_by_role("button", name="Log out")).to_be_in_viewport()


def test_the_group_page_fits_a_phone_and_uses_a_wide_screen(page):
    owner = logged_in(page, display_name="Teacher")
    group, _, _ = _group_with_assignment(owner)
    page.set_viewport_size(PHONE)
    page.goto(f"/groups/{group.pk}/")
    _no_sideways_scroll(page, PHONE["width"])
    for control in (
        page.get_by_role("link", name="Progress matrix"),
        page.get_by_role("button", name="Remove Week 1: speaking HTTP"),
    ):
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/groups/{group.pk}/")
    set_box = page.get_by_label("Set").bounding_box()
    due_box = page.get_by_label("Due (optional)").bounding_box()
    assert abs(set_box["y"] - due_box["y"]) <= 1, (set_box, due_box)  # the boxes sit level


def test_a_learners_progress_table_uses_the_width(page):
    learner = logged_in(page, display_name="Lin")
    group, _, _ = _group_with_assignment(UserFactory(), members=[learner])
    page.goto(f"/groups/{group.pk}/")
    table = page.locator("table.assignments-table")
    main = page.locator("main").bounding_box()
    assert table.bounding_box()["width"] >= main["width"] - 120, (table.bounding_box(), main)


def test_a_refused_assign_keeps_the_chosen_set_and_date(page):
    owner = logged_in(page, display_name="Teacher")
    ChallengeFactory(slug="fetch-book", title="Fetch book one")
    group = group_with(owner)
    set_save(author=owner, title="First steps", description="", items=["challenge:fetch-book"])
    page.goto(f"/groups/{group.pk}/")
    past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Set").select_option(label="First steps")
    page.get_by_label("Due (optional)").fill(past)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("That date has passed")).to_be_visible()
    expect(page.get_by_label("Set")).to_have_value(
        page.get_by_label("Set").locator("option", has_text="First steps").get_attribute("value")
    )
    expect(page.get_by_label("Due (optional)")).to_have_value(past)
    page.get_by_label("Due (optional)").fill("")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned First steps.")).to_be_visible()


def test_a_saved_display_name_shows_in_the_header_at_once(page):
    logged_in(page, username="grace", display_name="")
    page.goto("/accounts/profile/")
    expect(page.locator("details.menu summary")).to_have_text("grace")
    page.get_by_label("Display name").fill("Grace Hopper")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    expect(page.locator("details.menu summary")).to_have_text("Grace Hopper")


def test_axe_finds_nothing_serious_on_the_changed_pages(page):
    page.context.add_init_script(path=str(AXE))
    owner = logged_in(page, display_name="Teacher")
    quitter = UserFactory(display_name="Learner 10")
    group, assignment, challenge_set = _group_with_assignment(
        owner, members=[quitter, UserFactory(display_name="Learner 2")]
    )
    ChallengeProgress.objects.create(
        user=quitter, challenge=challenge_set.items.get().challenge, status="tried", gave_up=True
    )
    base = f"/groups/{group.pk}/assignments/{assignment.pk}"
    item = challenge_set.items.get().pk
    problems = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for path in (
            f"/groups/{group.pk}/",
            f"{base}/board/",
            f"{base}/members/{quitter.username}/items/{item}/",
            "/accounts/profile/",
        ):
            page.goto(path)
            problems += [(width, path, v) for v in page.evaluate(RUN_AXE)]
        page.goto(f"/groups/{group.pk}/")
        page.get_by_role("link", name="Progress matrix").click()
        expect(page.get_by_text("⚑ Gave up (saw the solution)")).to_be_visible()
        problems += [(width, page.url, v) for v in page.evaluate(RUN_AXE)]
        page.goto(f"/groups/{group.pk}/")
        page.get_by_label("Set").select_option(index=1)
        page.get_by_label("Due (optional)").fill("2001-01-01T10:00")
        page.get_by_role("button", name="Assign").click()
        expect(page.get_by_text("That date has passed")).to_be_visible()
        problems += [(width, "assign error", v) for v in page.evaluate(RUN_AXE)]
    assert problems == []


def test_after_sign_up_the_profile_offers_to_send_the_confirmation_again(page):
    from django.core import mail

    page.context.add_init_script(path=str(AXE))
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password", exact=True).fill("analytical-engine-1843")
    page.get_by_label("Password confirmation").fill("analytical-engine-1843")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/dashboard/")
    page.goto("/accounts/profile/")
    expect(
        page.get_by_text("Waiting for confirmation: we sent a link to ada@example.org")
    ).to_be_visible()
    assert page.evaluate(RUN_AXE) == []
    sent = len(mail.outbox)
    page.get_by_role("button", name="Send it again").click()
    expect(page.get_by_text("We have sent the message to ada@example.org again.")).to_be_visible()
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == ["ada@example.org"]
