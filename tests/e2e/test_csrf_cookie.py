"""In a real browser: scripts cannot read the CSRF cookie, and htmx POSTs still work."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import logged_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_htmx_post_works_with_an_httponly_csrf_cookie(page):
    user = logged_in(page)
    page.goto("/accounts/profile/")
    [csrf] = [c for c in page.context.cookies() if c["name"] == "csrftoken"]
    assert csrf["httpOnly"] is True
    assert "csrftoken" not in page.evaluate("document.cookie")

    page.get_by_label("Display name").fill("Grace H.")
    with page.expect_response("**/accounts/profile/") as answer:
        page.get_by_role("button", name="Save settings").click()
    response = answer.value
    assert response.request.headers.get("hx-request") == "true"
    assert response.request.headers.get("x-csrftoken")
    assert response.status == 200
    expect(page.locator("#profile-form").get_by_text("Your settings are saved.")).to_be_visible()
    user.refresh_from_db()
    assert user.display_name == "Grace H."
