"""Errors answer in place: the navigation stays and the learner's text is kept.

Each case runs with DEBUG on and off (see conftest.py); with DEBUG on, django-htmx's
debug script used to replace the whole document with the error fragment.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from challenges.sandbox import LIMITS
from tests.e2e.helpers import editor_text, logged_in
from tests.factories import ChallengeFactory, QuestionFactory, TopicFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def expect_page_kept(page):
    """The site's navigation and footer are still there: nothing was wiped."""
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator("footer.site-footer")).to_be_visible()


def test_an_empty_sign_up_form_shows_its_errors_in_place(page):
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    expect_page_kept(page)
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    assert page.url.endswith("/accounts/signup/")


def test_a_weak_password_is_refused_in_place_and_the_username_is_kept(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Password", exact=True).fill("password")
    page.get_by_label("Password confirmation").fill("password")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This password is too common.")).to_be_visible()
    expect_page_kept(page)
    expect(page.get_by_label("Username")).to_have_value("grace")
    expect(page.get_by_label("Email")).to_have_value("grace@example.org")
    assert not get_user_model().objects.filter(username="grace").exists()


def test_checking_a_multi_select_question_with_nothing_ticked_asks_in_place(page):
    topic = TopicFactory(title="Safe methods")
    QuestionFactory(topic=topic, kind="multi", slug="q-multi")
    logged_in(page)
    page.goto("/quiz/")
    page.get_by_role("button", name="Start Safe methods").click()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one option")
    expect_page_kept(page)
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()


def test_sending_an_empty_editor_is_refused_in_place(page):
    challenge = ChallengeFactory()
    logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    page.get_by_label("Your raw request").fill("")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#result")).to_contain_text("nothing to send yet")
    expect_page_kept(page)


def test_sending_more_than_the_limit_is_refused_and_the_text_is_kept(page):
    challenge = ChallengeFactory()
    logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    text = (
        "GET /books HTTP/1.1\nHost: sandbox.localhost\nX-Pad: " + "a" * LIMITS.input_bytes + "\n\n"
    )
    page.get_by_label("Your raw request").fill(text)
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#result")).to_contain_text("the sandbox takes at most")
    expect_page_kept(page)
    assert editor_text(page) == text


def test_grading_with_no_new_tcp_requests_says_so_in_place(page):
    challenge = ChallengeFactory()
    logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    page.get_by_label("Your raw request").fill("GET /books/1 HTTP/1.1\nHost: x\n")
    page.get_by_role("button", name="Grade my last TCP requests").click()
    expect(page.locator("#result")).to_contain_text("No new requests reached the TCP sandbox")
    expect_page_kept(page)
    assert editor_text(page) == "GET /books/1 HTTP/1.1\nHost: x\n"


def test_a_server_failure_is_reported_beside_the_page_not_over_it(page):
    challenge = ChallengeFactory()
    logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    page.expected_console_errors += [
        "Failed to load resource: the server responded with a status of 500",
        "Response Status Error Code 500",  # htmx's own log line
    ]
    page.route("**/send/", lambda route: route.fulfill(status=500, body="<h1>Server Error</h1>"))
    page.get_by_label("Your raw request").fill("GET /books/1 HTTP/1.1\nHost: x\n\n")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#messages [role=alert]")).to_contain_text(
        "The server failed to answer (500)"
    )
    expect_page_kept(page)
    assert editor_text(page) == ("GET /books/1 HTTP/1.1\nHost: x\n\n")
