"""Browser tests drive Debian's Chromium through Playwright.

Under CI=true they always run: a missing browser is a failure, not a skip.
Elsewhere they skip only when no Chromium is found, saying how to get one.

Every browser test runs twice, with DEBUG off (production) and on (what
`make run` uses). Django's test runner forces DEBUG=False, and templates read
DEBUG when they render (django-htmx's script tag did), so a page can behave
differently in the two modes; a bug that only shows in one must fail a test.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
EXPECTED_4XX = "Failed to load resource: the server responded with a status of 4"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no Chromium at {CHROMIUM}: .ci/run installs it with apt-get.")
        pytest.skip(
            "No Chromium found. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug_mode(request, settings):
    """Set DEBUG for the live server's thread too (it reads the same settings object)."""
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def page(browser, live_server, debug_mode):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    # A test that provokes a failure on purpose adds the console lines it expects here.
    page.expected_console_errors = [EXPECTED_4XX]
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message):
        # 4xx answers to a bad form are the app working; the browser logs them anyway.
        expected = tuple(page.expected_console_errors)
        if message.type == "error" and not message.text.startswith(expected):
            errors.append(message.text)

    page.on("console", on_console)
    yield page
    context.close()
    # A CSP violation or a JavaScript error is a bug, even if the flow worked.
    assert errors == [], errors
