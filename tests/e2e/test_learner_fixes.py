"""What a new learner's first trial on a phone and a laptop found, each fixed and kept fixed.

A phone is 375 CSS pixels wide: nothing a learner sends or gets back may widen
the page past that (long lines wrap inside their own box), and each line of a
request keeps its number beside it. Destructive buttons ask first. Headings of
the sandbox reference are headings. A refused form puts focus on what to fix.
"""

import pytest
from playwright.sync_api import expect

from challenges.models import ChallengeProgress, RecordedExchange
from challenges.services import sandbox_send, sandbox_state_for
from tests.e2e.helpers import logged_in
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
LONG_AGENT = (
    "Mozilla/5.0-a-rather-long-user-agent-string-without-any-spaces-in-it-at-all-0123456789"
)

# For every numbered line: does its text start on the number's row, right of the number, and
# does all it shows (text, caret, diagnostic, fix) stay inside the line's own box?
LINES_BESIDE_NUMBERS = """() => [...document.querySelectorAll('#result .annotated-line')].map((li) => {
  const box = li.getBoundingClientRect();
  const text = li.querySelector(':scope > code').getClientRects()[0];
  const parts = [...li.querySelectorAll('*')].map((e) => e.getBoundingClientRect());
  return {number: li.value, beside: text.left - box.left >= 24 && Math.abs(text.top - box.top) < 6,
          inside: parts.every((r) => r.right <= box.right + 1)};
})"""


def _page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def _assert_fits_a_phone(page):
    assert _page_width(page) <= PHONE["width"]
    lines = page.evaluate(LINES_BESIDE_NUMBERS)
    assert lines, "no numbered lines were shown"
    assert all(line["beside"] and line["inside"] for line in lines), lines


def test_a_long_header_line_sent_from_the_editor_wraps_on_a_phone(page):
    challenge = ChallengeFactory()
    logged_in(page)
    page.set_viewport_size(PHONE)
    page.goto(f"/challenges/{challenge.slug}/")
    page.get_by_label("Your raw request").fill(
        f"GET /books/1 HTTP/1.1\nHost: sandbox.localhost\nUser-Agent: {LONG_AGENT}\n\n"
    )
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#result .annotated")).to_contain_text(LONG_AGENT)
    _assert_fits_a_phone(page)


def test_graded_tcp_requests_with_a_long_line_and_a_diagnostic_fit_a_phone(page):
    challenge = ChallengeFactory()
    user = logged_in(page)
    page.set_viewport_size(PHONE)
    page.goto(f"/challenges/{challenge.slug}/")
    long_host = b"Host : a-very-long-host-name-that-goes-on.sandbox.localhost:8766"
    sandbox_send(
        user=user,
        data=b"GET /books/1 HTTP/1.1\r\n" + long_host + b"\r\nAccept: */*\r\n\r\n",
        source=RecordedExchange.Source.TCP,
    )
    page.get_by_role("button", name="Grade my last TCP requests").click()
    expect(page.locator("#result")).to_contain_text("Graded 1 request sent to the TCP sandbox")
    expect(page.locator("#result .diagnostic")).to_contain_text("line 2")
    _assert_fits_a_phone(page)


def test_the_sandbox_reference_reads_as_a_document_with_headings(page):
    logged_in(page)
    page.goto("/challenges/sandbox/")
    article = page.locator("article.sandbox-reference")
    expect(article.get_by_role("heading", level=2, name="The sandbox bookshop")).to_be_visible()
    expect(article.get_by_role("heading", level=3, name="Endpoints")).to_be_visible()
    looks = page.evaluate(
        """() => {
          const style = (e) => getComputedStyle(e);
          const article = document.querySelector('article.sandbox-reference');
          return {text: style(article.querySelector('p')).color,
                  body: style(document.querySelector('main')).color,
                  h3: parseFloat(style(article.querySelector('h3')).fontSize),
                  p: parseFloat(style(article.querySelector('p')).fontSize)};
        }"""
    )
    assert looks["text"] == looks["body"]  # body text, not the muted grey of a source line
    assert looks["h3"] > looks["p"] * 1.15


def test_giving_up_asks_first_in_a_dialog(page):
    challenge = ChallengeFactory(title="Fetch book one")
    user = logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    give_up = page.get_by_role("button", name="Give up and show the solution")
    give_up.click()
    dialog = page.get_by_role("dialog", name="Show the solution?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        "Solving Fetch book one after that still counts, but earns no XP"
    )
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(give_up).to_be_focused()
    assert not ChallengeProgress.objects.filter(user=user, gave_up=True).exists()

    give_up.click()
    dialog.get_by_role("button", name="Show the solution").click()
    expect(page.locator("#solution pre")).to_contain_text("GET /books/1")
    assert ChallengeProgress.objects.get(user=user, challenge=challenge).gave_up


def test_resetting_the_sandbox_asks_first_in_a_dialog(page):
    challenge = ChallengeFactory()
    user = logged_in(page)
    sandbox_send(
        user=user,
        data=b"DELETE /books/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRhOmxvdmVsYWNl\r\n\r\n",
        source=RecordedExchange.Source.EDITOR,
    )
    page.goto(f"/challenges/{challenge.slug}/")
    reset = page.get_by_role("button", name="Reset my sandbox")
    reset.click()
    dialog = page.get_by_role("dialog", name="Reset your sandbox?")
    expect(dialog).to_contain_text("the six sample books come back")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(reset).to_be_focused()
    assert len(sandbox_state_for(user).data["books"]) == 5

    reset.click()
    dialog.get_by_role("button", name="Reset my sandbox").click()
    expect(page.get_by_text("Your sandbox is fresh again")).to_be_visible()
    assert len(sandbox_state_for(user).data["books"]) == 6


def _focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_refused_signup_puts_focus_on_the_first_field_in_error(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Email").fill("newbie@example.org")
    page.get_by_label("Password", exact=True).fill("password123")
    page.get_by_label("Password confirmation").fill("password123")
    page.get_by_role("button", name="Sign up").click()
    confirmation = page.get_by_label("Password confirmation")
    expect(page.locator("#signup-form .field-errors")).to_contain_text("too common")
    expect(confirmation).to_be_focused()
    assert confirmation.get_attribute("aria-invalid") == "true"
    # The field names its error, so a screen reader reads it out with the field.
    described_by = confirmation.get_attribute("aria-describedby").split()
    said = " ".join(page.locator(f"#{name}").inner_text() for name in described_by)
    assert "too common" in said

    # Fix that, break the email: focus follows the first field that is wrong now.
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_label("Password", exact=True).fill("analytical-engine-1843")
    page.get_by_label("Password confirmation").fill("analytical-engine-1843")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#signup-form .field-errors")).to_contain_text("valid email")
    expect(page.get_by_label("Email")).to_be_focused()
    assert _focused_id(page) == "id_email"


def test_a_refused_login_puts_focus_on_its_error(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password-here")
    page.get_by_role("button", name="Log in").click()
    summary = page.locator(".form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()


def test_the_changed_pages_pass_axe_in_every_colour_mode(browser, live_server, tmp_path):
    """axe finds no serious or critical violation on what these fixes changed."""
    from quiz.services import quiz_run_start
    from tests.e2e.test_accessibility import MODES, Tour
    from tests.factories import QuestionFactory, TopicFactory, UserFactory, question_data

    learner = UserFactory()
    challenge = ChallengeFactory(title="Fetch book one")
    topic = TopicFactory()
    data = question_data("single", "content-type-html")
    data["options"] = [
        {"text": "`text/plain`", "correct": False},
        {"text": "`text/html`", "correct": True},
    ]
    QuestionFactory(topic=topic, kind="single", data=data)
    problems, sessions = [], {}
    for mode in MODES:
        tour = Tour(browser, live_server, mode, tmp_path, sessions)
        try:
            page = tour.context(learner.username)
            sandbox_send(
                user=learner,
                data=b"GET /books/1 HTTP/1.1\r\nHost : a-very-long-host-name.sandbox.localhost:8766\r\n\r\n",
                source=RecordedExchange.Source.TCP,
            )
            page.set_viewport_size(PHONE)
            page.goto(f"/challenges/{challenge.slug}/")
            page.get_by_role("button", name="Grade my last TCP requests").click()
            expect(page.locator("#result .diagnostic")).to_be_visible()
            tour.check(page, "TCP graded requests on a phone")
            page.get_by_role("button", name="Give up and show the solution").click()
            page.get_by_role("dialog").wait_for()
            tour.check(page, "give-up confirmation")
            page.keyboard.press("Escape")
            page.set_viewport_size({"width": 1280, "height": 900})
            tour.visit(page, "/challenges/sandbox/", "sandbox reference")
            run = quiz_run_start(user=learner, kind="topic", topic=topic)
            page.goto(f"/quiz/runs/{run.pk}/")
            page.get_by_label("text/plain").check()
            page.get_by_role("button", name="Check my answer").click()
            expect(page.locator("#feedback")).to_be_focused()
            tour.check(page, "quiz feedback with code in the options")
            anonymous = tour.context()
            anonymous.goto("/accounts/signup/")
            anonymous.get_by_label("Username").fill(f"newbie{mode.replace('-', '')}")
            anonymous.get_by_label("Email").fill("newbie@example.org")
            anonymous.get_by_label("Password", exact=True).fill("password123")
            anonymous.get_by_label("Password confirmation").fill("password123")
            anonymous.get_by_role("button", name="Sign up").click()
            expect(anonymous.get_by_label("Password confirmation")).to_be_focused()
            tour.check(anonymous, "sign-up refused")
        finally:
            tour.close()
        problems += tour.problems
    assert problems == [], "\n".join(problems)
