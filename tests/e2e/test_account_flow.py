import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_signs_up_logs_out_and_logs_in_again(page, tmp_path):
    page.goto("/")
    page.get_by_role("link", name="Create a free account").click()

    page.get_by_label("Username").fill("ada")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Display name").fill("Ada")
    page.get_by_label("Password", exact=True).fill("analytical-engine-1843")
    page.get_by_label("Password confirmation").fill("analytical-engine-1843")
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("heading", name="Hello, Ada")).to_be_visible()
    assert get_user_model().objects.filter(username="ada").exists()
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)

    page.get_by_text("Ada", exact=True).click()  # the account menu
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()

    page.goto("/dashboard/")
    page.wait_for_url("**/accounts/login/?next=/dashboard/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("analytical-engine-1843")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("heading", name="Hello, Ada")).to_be_visible()
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


def test_signup_errors_come_back_in_place_with_htmx(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("short")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    assert page.url.endswith("/accounts/signup/")
    assert not get_user_model().objects.filter(username="bob").exists()
