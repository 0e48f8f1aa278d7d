"""Two try-it boxes on one page: each sends on its own and shows its own answer.

The boxes sit on a test page (tests/e2e/try_it_urls.py) with the site's base
template, the way a lesson includes them.
"""

import pytest
from playwright.sync_api import expect

from curriculum.models import Lesson, Unit, UnitProgress
from tests.e2e.helpers import logged_in
from tests.e2e.test_accessibility import AXE, RUN_AXE
from tests.factories import TopicFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOOK_ONE = "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n"
NO_BOOK = "GET /books/999 HTTP/1.1\nHost: sandbox.localhost\n\n"


def _box(slug, request):
    expect_ = {"status": 200, "headers": {}, "body_contains": ""}
    return {
        "try": {"slug": slug, "intro": f"Send **{slug}**.", "request": request, "expect": expect_}
    }


@pytest.fixture
def unit(settings):
    settings.ROOT_URLCONF = "tests.e2e.try_it_urls"
    unit = Unit.objects.create(
        slug="methods", number=1, title="Methods", summary="Use them.", topic=TopicFactory()
    )
    blocks = [_box("book-one", BOOK_ONE), _box("no-book", NO_BOOK)]
    Lesson.objects.create(unit=unit, blocks=blocks, words=0)
    return unit


def test_each_box_sends_and_shows_its_answer_in_its_own_result(page, unit):
    user = logged_in(page)
    page.context.add_init_script(path=AXE)
    page.goto("/test/try-it/methods/")
    first, second = page.locator("#try-methods-book-one"), page.locator("#try-methods-no-book")

    first.get_by_role("button", name="Send").click()
    expect(first.locator(".raw-response")).to_contain_text("HTTP/1.1 200 OK")
    expect(page.locator("#try-methods-book-one-result .try-it-response")).to_be_focused()
    expect(second.locator(".raw-response")).to_have_count(0)

    second.get_by_role("button", name="Send").click()
    expect(second.locator(".raw-response")).to_contain_text("HTTP/1.1 404 Not Found")
    expect(first.locator(".raw-response")).to_contain_text("HTTP/1.1 200 OK")
    expect(first.locator(".raw-response")).not_to_contain_text("404")
    progress = UnitProgress.objects.get(user=user, unit=unit)
    assert progress.tries_sent == ["book-one", "no-book"]
    assert page.evaluate(RUN_AXE) == []


def test_an_edited_request_is_sent_and_reset_brings_the_lesson_s_back(page, unit):
    logged_in(page)
    page.goto("/test/try-it/methods/")
    box = page.locator("#try-methods-book-one")
    editor = box.get_by_label("The raw request")
    editor.fill("GET /books/2 HTTP/1.1\nHost : sandbox.localhost\n\n")
    box.get_by_role("button", name="Send").click()
    expect(box.get_by_text("Error at line 2, column 5")).to_be_visible()
    expect(box.locator(".cm-lintRange-error")).to_have_count(1)  # the mark sits in this box only
    expect(page.locator("#try-methods-no-book .cm-lintRange-error")).to_have_count(0)

    box.get_by_role("button", name="Reset to the lesson's request").click()
    page.wait_for_function(
        "(text) => window.HttpSchoolEditor.viewOf("
        "document.querySelector('#try-methods-book-one-request')).state.doc.toString() === text",
        arg=BOOK_ONE,
    )


def test_without_javascript_a_box_posts_and_the_page_links_back(
    browser, live_server, debug_mode, unit
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        logged_in(page)
        page.goto("/test/try-it/methods/")
        assert page.locator(".cm-content").count() == 0  # the plain textarea is the editor
        page.locator("#try-methods-no-book").get_by_role("button", name="Send").click()
        expect(page.get_by_role("heading", name="Your try-it request")).to_be_visible()
        expect(page.locator(".raw-response")).to_contain_text("HTTP/1.1 404 Not Found")
        back = page.get_by_role("link", name="Back to the lesson").first
        assert back.get_attribute("href") == "/learn/methods/#try-methods-no-book"
    finally:
        context.close()
