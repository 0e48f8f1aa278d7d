"""Polish (issue 10, point 7) in a real browser: the colour toggle, the sign-up time zone,
badge symbols that Debian's fonts draw, and the 405 page."""

import pytest
from playwright.sync_api import expect

from accounts.badges import BADGES
from tests.e2e.conftest import EXPECTED_4XX
from tests.e2e.helpers import logged_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIGHT_BG, DARK_BG = "rgb(251, 251, 249)", "rgb(20, 23, 26)"


def _background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def _context(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options
    )
    errors = []
    context.on(
        "console",
        lambda m: (
            m.type == "error" and not m.text.startswith(EXPECTED_4XX) and errors.append(m.text)
        ),
    )
    return context, errors


def test_the_colour_toggle_overrides_the_system_and_is_remembered(page):
    page.emulate_media(color_scheme="light")
    page.goto("/")
    assert _background(page) == LIGHT_BG
    toggle = page.get_by_label("Colours")
    expect(toggle).to_have_value("system")
    toggle.select_option("dark")
    assert _background(page) == DARK_BG
    page.reload()
    assert _background(page) == DARK_BG
    expect(page.get_by_label("Colours")).to_have_value("dark")
    page.goto("/accounts/login/")  # another page remembers it too
    assert _background(page) == DARK_BG

    page.get_by_label("Colours").select_option("system")
    assert _background(page) == LIGHT_BG
    assert page.evaluate("localStorage.getItem('httpschool-theme')") is None
    page.emulate_media(color_scheme="dark")
    assert _background(page) == DARK_BG  # "As my system" follows the system again
    page.get_by_label("Colours").select_option("light")
    assert _background(page) == LIGHT_BG


def test_a_remembered_choice_is_on_the_page_before_it_paints(page):
    # The theme script runs in <head>, before the stylesheet and the body: no flash of light.
    page.emulate_media(color_scheme="light")
    page.goto("/")
    page.evaluate("localStorage.setItem('httpschool-theme', 'dark')")
    page.add_init_script(
        """new MutationObserver((_, observer) => {
             if (document.body) {
               window.__themeAtBody = document.documentElement.dataset.theme || "none";
               observer.disconnect();
             }
           }).observe(document, {childList: true, subtree: true});"""
    )
    page.reload()
    assert page.evaluate("window.__themeAtBody") == "dark"
    head = page.evaluate(
        """(() => {
             const script = document.querySelector('head script[src$="theme.js"]');
             const sheet = document.querySelector('head link[rel="stylesheet"]');
             return {blocking: !script.defer && !script.async,
                     first: !!(script.compareDocumentPosition(sheet) & Node.DOCUMENT_POSITION_FOLLOWING)};
           })()"""
    )
    assert head == {"blocking": True, "first": True}


def test_sign_up_starts_at_the_browsers_time_zone(browser, live_server):
    from accounts.models import User

    context, errors = _context(browser, live_server, timezone_id="Europe/Berlin")
    page = context.new_page()
    page.goto("/accounts/signup/")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    page.get_by_label("Username").fill("ravi")
    page.get_by_label("Email").fill("ravi@example.org")
    page.get_by_label("Password", exact=True).fill("fetch-decode-execute-42")
    page.get_by_label("Password confirmation").fill("fetch-decode-execute-42")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/dashboard/")
    context.close()
    assert User.objects.get(username="ravi").time_zone == "Europe/Berlin"
    assert errors == []


def test_a_zone_the_list_lacks_leaves_utc(browser, live_server):
    context, errors = _context(browser, live_server, timezone_id="Europe/Berlin")
    page = context.new_page()
    page.add_init_script(
        """const real = Intl.DateTimeFormat.prototype.resolvedOptions;
           Intl.DateTimeFormat.prototype.resolvedOptions = function () {
             return Object.assign(real.call(this), {timeZone: "Mars/Olympus_Mons"});
           };"""
    )
    page.goto("/accounts/signup/")
    expect(page.get_by_label("Time zone")).to_have_value("UTC")
    context.close()
    assert errors == []


def test_every_badge_symbol_has_a_glyph_in_the_installed_fonts(page, tmp_path):
    """A missing glyph draws the same "tofu" box as a private-use character; a real one does not."""
    logged_in(page)
    page.goto("/dashboard/")
    page.locator(".badges").screenshot(path=tmp_path / "badges.png")
    missing = page.evaluate(
        """(symbols) => {
             const font = getComputedStyle(document.querySelector(".badge-symbol")).font;
             const draw = (text) => {
               const canvas = document.createElement("canvas");
               canvas.width = canvas.height = 64;
               const context = canvas.getContext("2d");
               context.font = font;
               context.fillText(text, 8, 48);
               return Array.from(context.getImageData(0, 0, 64, 64).data).join(",");
             };
             const tofu = draw("\\uE000");
             return symbols.filter((symbol) => draw(symbol) === tofu);
           }""",
        [badge.symbol for badge in BADGES],
    )
    assert missing == []


def test_get_on_a_post_only_page_shows_a_page_with_a_way_back(page):
    logged_in(page)
    response = page.goto("/groups/new/")
    assert response.status == 405 and response.headers["allow"] == "POST"
    expect(page.get_by_role("heading", name="This address only takes a form")).to_be_visible()
    page.get_by_role("link", name="Back to your home page").click()
    page.wait_for_url("**/dashboard/")
