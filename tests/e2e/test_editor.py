"""The CodeMirror request editor on a challenge page: marks at the diagnostic's
column, visible line endings, exact bytes, the keyboard, and the page without JavaScript."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from challenges.models import RecordedExchange
from tests.e2e.helpers import logged_in
from tests.factories import PASSWORD, ChallengeFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CONTENT = ".request-editor .cm-content"

# Where the mark's DOM range starts, as (line, column from 1) in the editor's text.
MARK_START = """(mark) => {
  const view = window.HttpSchoolEditor.viewOf(mark);
  const pos = view.posAtDOM(mark.firstChild || mark, 0);
  const line = view.state.doc.lineAt(pos);
  return [line.number, pos - line.from + 1];
}"""


def _open(page, **challenge_fields):
    challenge = ChallengeFactory(**challenge_fields)
    user = logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    page.locator(CONTENT).wait_for()
    return challenge, user


def _set_text(page, text):
    """Replace the editor's text as a paste would (keeps trailing spaces and CRs)."""
    page.locator(CONTENT).evaluate(
        """(content, text) => {
          const view = window.HttpSchoolEditor.viewOf(content);
          view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}});
          view.focus();
        }""",
        text,
    )


def _last_raw_request(user) -> bytes:
    row = RecordedExchange.objects.filter(user=user).order_by("-pk").first()
    return bytes(row.raw_request)


def test_a_diagnostic_is_marked_at_its_line_and_column_and_told_on_hover_and_focus(page):
    _open(page)
    editor = page.get_by_label("Your raw request")
    editor.fill("GET /books/1 HTTP/1.1\nHost : sandbox.localhost\n\n")
    editor.press("Control+Enter")
    expect(page.get_by_text("Error at line 2, column 5")).to_be_visible()
    mark = page.locator(".cm-lintRange-error").first
    expect(mark).to_be_visible()
    assert mark.evaluate(MARK_START) == [2, 5]
    assert mark.inner_text() == " "  # the space before the colon

    mark.hover()
    expect(page.locator(".cm-tooltip-lint")).to_contain_text("Line 2, column 5")

    page.mouse.move(0, 0)
    editor.focus()
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    tip = page.locator(".cm-cursor-diagnostics")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Line 2, column 5")


def test_the_marks_follow_a_byte_column_past_multibyte_characters(page):
    _open(page)
    _set_text(
        page, "GET /caf\u00e9 HTTP/1.1\nHost: sandbox.localhost\nX-Note: \u00e9t\u00e9 : x\n\n"
    )
    page.keyboard.press("Control+Enter")
    page.locator("#result .annotated").wait_for()
    diagnostics = page.locator("#result").get_attribute("data-diagnostics")
    assert diagnostics is not None
    for mark in page.locator(".cm-lintRange").all():
        line, column = mark.evaluate(MARK_START)
        assert f"line {line}, column" in page.locator("#result").inner_text()


def test_the_toggle_shows_cr_lf_and_trailing_whitespace(page):
    _open(page)
    toggle = page.get_by_role("button", name="Show CR, LF and spaces")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    _set_text(page, "GET /books/1 HTTP/1.1\nHost: sandbox.localhost  \nX-A: b\r\n\n")
    expect(page.locator(".cm-ending-crlf")).to_have_count(0)
    expect(page.locator(".cm-ending-cr")).to_have_count(1)  # a literal CR is always shown

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    endings = page.locator(".request-editor .cm-ending")
    expect(endings).to_have_text(["CRLF", "CRLF", "CR", "LF", "CRLF"])  # the LF after the typed CR
    expect(page.locator(".cm-ending-lf")).to_have_count(0)  # no bare LF goes out
    expect(page.locator(".cm-trailingSpace")).to_have_count(1)
    assert page.locator(".cm-trailingSpace").inner_text() == "  "

    page.get_by_label("Send line endings as I typed them").check()
    expect(endings).to_have_text(["LF", "LF", "CR", "LF", "LF"])
    expect(page.locator(".cm-ending-lf")).to_have_count(3)  # the bare ones

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(endings).to_have_text(["CR"])


@pytest.mark.parametrize(
    ("choice", "typed", "sent"),
    [
        (
            "Send line endings as I typed them",
            "GET /books/1 HTTP/1.1\nHost: sandbox.localhost  \n\n",
            b"GET /books/1 HTTP/1.1\nHost: sandbox.localhost  \n\n",
        ),
        (
            "Send line endings as CRLF",
            "GET /books/1 HTTP/1.1\nHost: sandbox.localhost \t\nAccept: */*\r\n\n",
            b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost \t\r\nAccept: */*\r\n\r\n",
        ),
    ],
    ids=["typed", "crlf"],
)
def test_the_bytes_sent_are_the_bytes_typed(page, choice, typed, sent):
    _, user = _open(page)
    page.get_by_label(choice).check()
    _set_text(page, typed)
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".raw-response").first).to_be_visible()
    assert _last_raw_request(user) == sent


def test_typing_with_the_keyboard_keeps_trailing_spaces(page):
    _, user = _open(page)
    page.get_by_label("Send line endings as I typed them").check()
    _set_text(page, "")
    page.keyboard.type("GET /books/1 HTTP/1.1")
    page.keyboard.press("Escape")  # close any completion list before Enter
    page.keyboard.press("Enter")
    page.keyboard.type("Host: sandbox.localhost  ")
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".raw-response").first).to_be_visible()
    assert _last_raw_request(user) == b"GET /books/1 HTTP/1.1\nHost: sandbox.localhost  \n\n"


def test_ctrl_enter_sends_and_the_result_arrives_in_place(page):
    _, user = _open(page)
    _set_text(page, "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n")
    url = page.url
    page.keyboard.press("Control+Enter")
    expect(page.locator(".raw-response").first).to_contain_text("HTTP/1.1 200 OK")
    assert page.url == url
    assert _last_raw_request(user).startswith(b"GET /books/1 HTTP/1.1\r\n")


def test_tab_indents_but_escape_then_tab_leaves_the_editor(page):
    _open(page)
    _set_text(page, "GET / HTTP/1.1")
    page.keyboard.press("End")
    page.keyboard.press("Tab")
    assert page.locator(CONTENT).evaluate("(el) => el.contains(document.activeElement)")
    view_text = page.locator(CONTENT).evaluate(
        "(el) => window.HttpSchoolEditor.viewOf(el).state.doc.toString()"
    )
    assert view_text == "GET / HTTP/1.1  "

    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.closest('.cm-editor') === null")
    assert focused
    expect(page.get_by_label("Send line endings as CRLF")).to_be_focused()


def test_the_editor_is_labelled_and_described_for_screen_readers(page):
    _open(page)
    content = page.locator(CONTENT)
    expect(content).to_have_attribute("role", "textbox")
    expect(content).to_have_attribute("aria-multiline", "true")
    expect(page.get_by_role("textbox", name=re.compile("^Your raw request"))).to_have_count(1)
    described = content.get_attribute("aria-describedby").split()
    assert described == ["challenge-request-keys", "challenge-request-help"]
    expect(page.locator("#challenge-request-keys")).to_be_visible()
    page.locator("#challenge-request-label").click()
    assert content.evaluate("(el) => el.contains(document.activeElement)")


def _accept(page):
    # CodeMirror ignores Enter for 75 ms after a list opens, so a stray Enter is never taken.
    page.wait_for_timeout(150)
    page.keyboard.press("Enter")


def test_completion_offers_methods_field_names_and_values(page):
    _open(page)
    _set_text(page, "")
    page.keyboard.type("PA")
    options = page.locator(".cm-tooltip-autocomplete li")
    expect(options.first).to_have_text("PATCH")
    _accept(page)
    page.keyboard.type("/books/1 HTTP/1.1")
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.keyboard.type("Content-T")
    expect(options.first).to_have_text("Content-Type")
    _accept(page)
    page.keyboard.type("app")
    expect(page.locator(".cm-tooltip-autocomplete")).to_contain_text("application/json")
    _accept(page)
    text = page.locator(CONTENT).evaluate(
        "(el) => window.HttpSchoolEditor.viewOf(el).state.doc.toString()"
    )
    assert text == "PATCH /books/1 HTTP/1.1\nContent-Type: application/json"


def test_without_javascript_the_textarea_sends_and_the_result_page_comes_back(browser, live_server):
    challenge = ChallengeFactory()
    user = UserFactory()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"/challenges/{challenge.slug}/")
        expect(page.get_by_role("button", name="Show CR, LF and spaces")).to_be_hidden()
        page.get_by_label("Your raw request").fill(
            "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n"
        )
        page.get_by_role("button", name="Send request").click()
        page.wait_for_url(f"**/challenges/{challenge.slug}/send/")
        expect(page.locator(".raw-response").first).to_contain_text("HTTP/1.1 200 OK")
        assert (
            _last_raw_request(user) == b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
        )
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_editor_with_marks_and_markers(
    browser, live_server, scheme
):
    challenge = ChallengeFactory()
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    context.add_init_script(path=str(AXE))
    try:
        page = context.new_page()
        logged_in(page)
        page.goto(f"/challenges/{challenge.slug}/")
        page.locator(CONTENT).wait_for()
        _set_text(page, "GET /books/1 HTTP/1.1\nHost : sandbox.localhost  \n\n")
        page.keyboard.press("Control+Enter")
        page.locator(".cm-lintRange-error").wait_for()
        page.get_by_role("button", name="Show CR, LF and spaces").click()
        violations = page.evaluate(
            """async () => {
              const result = await axe.run(document, {resultTypes: ["violations"]});
              return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "));
            }"""
        )
        assert violations == []
    finally:
        context.close()


ADD_SECOND_EDITOR = """async () => {
  // A second editor as htmx would insert it: the page's own server-rendered form,
  // its ids prefixed anew, with its own result target carrying one diagnostic.
  const html = await (await fetch(location.href)).text();
  const form = new DOMParser().parseFromString(html, "text/html").querySelector("#send-form");
  form.id = "second-form";
  form.removeAttribute("hx-post");
  form.innerHTML = form.innerHTML
    .replaceAll("challenge-request", "second-request")
    .replaceAll("send-indicator", "second-indicator");
  form.querySelector("[data-request-editor]").dataset.resultTarget = "#second-result";
  const result = document.createElement("section");
  result.id = "second-result";
  result.dataset.diagnostics = JSON.stringify([
    {line: 1, column: 5, severity: "warning", code: "x", message: "Second editor's own.", rfc: "", fix: null},
  ]);
  const box = document.createElement("div");
  box.append(form, result);
  document.querySelector("main").append(box);
  box.dispatchEvent(new CustomEvent("htmx:load", {bubbles: true, detail: {elt: box}}));
}"""


def test_two_editors_on_one_page_keep_their_own_text_marks_and_ids(page):
    _open(page)
    page.evaluate(ADD_SECOND_EDITOR)
    second = page.locator("#second-form .cm-content")
    expect(second).to_be_visible()
    expect(page.locator("#second-form .cm-lintRange-warning")).to_have_count(1)
    expect(page.locator("#send-form .cm-lintRange")).to_have_count(0)
    assert page.locator("#second-form .cm-lintRange-warning").evaluate(MARK_START) == [1, 5]

    second.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("HEAD /")
    assert page.locator("#second-form [data-raw-b64]").input_value() == "SEVBRCAv"  # "HEAD /"
    first = page.locator("#send-form [data-raw-b64]").input_value()
    assert first and first != "SEVBRCAv"
    expect(page.get_by_role("textbox", name=re.compile("^Your raw request"))).to_have_count(2)
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map((el) => el.id)")
    assert sorted(set(i for i in ids if ids.count(i) > 1)) == []
