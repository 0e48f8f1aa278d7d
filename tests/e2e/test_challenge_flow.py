import pytest
from playwright.sync_api import expect

from accounts.models import XpAward
from challenges.models import ChallengeSolve
from tests.e2e.helpers import logged_in
from tests.factories import ChallengeFactory, TwoStepChallengeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _type_request(page, text):
    editor = page.get_by_label("Your raw request")
    editor.fill(text)
    return editor


def test_solve_a_single_step_challenge_with_ctrl_enter(page, tmp_path):
    challenge = ChallengeFactory(title="Fetch book one", points=20)
    user = logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    editor = _type_request(page, "GET /books/1 HTTP/1.1\nHost : sandbox.localhost\n\n")
    editor.press("Control+Enter")
    expect(page.get_by_text("Error at line 2, column 5")).to_be_visible()
    expect(page.locator("#editor-gutter")).to_contain_text("✗  2")
    page.screenshot(path=tmp_path / "diagnostic.png", full_page=True)

    _type_request(page, "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Solved! +20 XP.")).to_be_visible()
    expect(page.locator(".raw-response").first).to_contain_text("HTTP/1.1 200 OK")
    expect(page.get_by_text("✓ Solved")).to_be_visible()
    assert ChallengeSolve.objects.filter(user=user, challenge=challenge).count() == 1
    assert XpAward.objects.get(user=user, source=challenge.xp_source).points == 20


def test_solve_a_two_step_challenge_carrying_the_etag(page):
    challenge = TwoStepChallengeFactory(title="Revalidate", points=30)
    user = logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    _type_request(page, "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("On to step 2")).to_be_visible()
    raw = page.locator(".raw-response").first.inner_text()
    etag = next(line.split(": ", 1)[1] for line in raw.splitlines() if line.startswith("ETag: "))

    _type_request(
        page, f"GET /books/1 HTTP/1.1\nHost: sandbox.localhost\nIf-None-Match: {etag}\n\n"
    )
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Solved! +30 XP.")).to_be_visible()
    expect(page.locator(".raw-response").first).to_contain_text("HTTP/1.1 304 Not Modified")
    assert ChallengeSolve.objects.filter(user=user, challenge=challenge).exists()


def test_hints_reveal_in_place_and_lower_the_xp(page):
    challenge = ChallengeFactory(points=20)
    logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    page.get_by_role("button", name="Reveal hint 1 (costs 5 XP)").click()
    expect(page.get_by_text("Use GET.")).to_be_visible()
    expect(page.get_by_role("button", name="Reveal hint 2 (costs 10 XP)")).to_be_visible()
