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
    mark = page.locator(".request-editor .cm-lintRange-error").first
    expect(mark).to_have_text(" ")  # the space before the colon, marked in the editor
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


def test_side_panels_follow_a_send_without_a_reload(page):
    challenge = ChallengeFactory(points=20)
    logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    page.get_by_role("button", name="Reveal hint 1 (costs 5 XP)").click()
    # The XP line follows the hint at once.
    expect(page.locator("#challenge-status")).to_contain_text("20 XP (15 after hints)")
    expect(page.locator("#history")).to_contain_text("No attempts yet.")

    _type_request(page, "GET /books/2 HTTP/1.1\nHost: sandbox.localhost\n\n")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#result")).to_contain_text("not yet")
    expect(page.locator("#history")).to_contain_text("Step 1 via browser editor: ✗ not yet")

    _type_request(page, "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Solved! +15 XP.")).to_be_visible()
    history = page.locator("#history li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("✓ passed")
    expect(page.locator("#solution pre")).to_contain_text("GET /books/1 HTTP/1.1")
    expect(page.get_by_role("button", name="Give up and show the solution")).to_have_count(0)
    expect(
        page.get_by_role("button", name="Reveal hint 2 (free: no XP at stake now)")
    ).to_be_visible()
    expect(page.locator("#challenge-status")).to_contain_text("✓ Solved")
    expect(page.locator("#challenge-status")).not_to_contain_text("after hints")


def test_grading_tcp_requests_shows_each_one_as_the_server_read_it(page, tmp_path):
    from challenges.models import RecordedExchange
    from challenges.services import sandbox_send

    challenge = ChallengeFactory()
    user = logged_in(page)
    page.goto(f"/challenges/{challenge.slug}/")
    for raw in (
        b"GET /books/2 HTTP/1.1\r\nHost : sandbox.localhost\r\n\r\n",
        b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n",
    ):
        sandbox_send(user=user, data=raw, source=RecordedExchange.Source.TCP)
    page.get_by_role("button", name="Grade my last TCP requests").click()
    result = page.locator("#result")
    expect(result).to_contain_text("Graded 2 requests sent to the TCP sandbox")
    first = result.locator("article.graded-request").nth(0)
    second = result.locator("article.graded-request").nth(1)
    expect(first.get_by_role("heading", level=3)).to_contain_text("Request 1 of 2: not judged")
    expect(first).to_contain_text("As the server read it")
    expect(first.locator(".annotated")).to_contain_text("GET /books/2 HTTP/1.1\\r\\n")
    expect(first.locator(".diagnostic")).to_contain_text("line 2")
    expect(first.locator(".raw-response")).to_contain_text("HTTP/1.1 400")
    expect(second.get_by_role("heading", level=3)).to_contain_text(
        "Request 2 of 2: ✓ passed its checks"
    )
    expect(second.locator(".raw-response")).to_contain_text("HTTP/1.1 200 OK")
    expect(page.get_by_text("Solved! +20 XP.")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("via tcp")
    page.screenshot(path=tmp_path / "tcp.png", full_page=True)
