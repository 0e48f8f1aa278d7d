"""axe-core finds no serious or critical accessibility violation on any page of the site.

Every page (anonymous, learner and instructor), and every error state a form can show, is
checked in three colour modes: the system's light scheme, the system's dark scheme, and dark
chosen with the in-page toggle over a light system. The site is built once; each mode uses
one browser context per persona, logged in once, so the whole tour stays near a minute.

axe-core is vendored (tests/e2e/vendor/axe.min.js; vendor/README.md says how to update it)
and injected as an init script, which the site's Content-Security-Policy does not block.
The same tour checks the raw HTML of each page for a <p> opened inside another <p>
(browsers silently break such markup apart, and screen readers then read it out of order).
"""

import os
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.services import xp_award
from challenges.models import Challenge, Submission
from challenges.submissions import challenge_submit
from classroom.services import assignment_create, set_save
from tests.factories import PASSWORD, QuestionFactory, TopicFactory, UserFactory, group_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  if (!result.passes.length) throw new Error("axe checked nothing");
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
    }));
}"""
MODES = {
    "light": {"color_scheme": "light"},
    "dark": {"color_scheme": "dark"},
    "toggle-dark": {"color_scheme": "light"},
}
BLOCK_TAGS = {"p", "div", "ul", "ol", "pre", "table", "form", "section", "h1", "h2", "h3", "dl"}
SHOTS = os.environ.get("A11Y_SCREENSHOTS")  # a folder: save a screenshot of every page there


class _NestedBlocks(HTMLParser):
    """Finds block elements (a <p> above all) opened while a <p> is still open."""

    def __init__(self):
        super().__init__()
        self.open_p = 0
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS and self.open_p:
            self.found.append(f"<{tag}> inside <p> at line {self.getpos()[0]}")
        if tag == "p":
            self.open_p += 1

    def handle_endtag(self, tag):
        if tag == "p" and self.open_p:
            self.open_p -= 1


def _nested_blocks(html: str) -> list[str]:
    parser = _NestedBlocks()
    parser.feed(html)
    return parser.found


class Tour:
    """Visits pages in one mode and collects every blocking violation with where it was."""

    def __init__(self, browser, live_server, mode, tmp_path, sessions=None):
        self.browser, self.base, self.mode = browser, live_server.url, mode
        self.sessions = {} if sessions is None else sessions  # username -> storage state
        self.problems: list[str] = []
        self.contexts = []
        self.shots = Path(SHOTS) if SHOTS else None

    def context(self, username=None):
        """A context in this tour's mode; a persona logs in once per tour, not once per mode."""
        context = self.browser.new_context(
            base_url=self.base,
            viewport={"width": 1280, "height": 900},
            storage_state=self.sessions.get(username),
            **MODES[self.mode],
        )
        context.add_init_script(path=str(AXE))
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username and username not in self.sessions:
            page.goto("/accounts/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url("**/dashboard/")
            self.sessions[username] = context.storage_state()
        if self.mode == "toggle-dark":
            page.goto("/")
            page.get_by_label("Colours").select_option("dark")
            assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        return page

    def visit(self, page, path, name, *, status=200):
        response = page.goto(path)
        assert response is not None and response.status == status, (path, response.status)
        for problem in _nested_blocks(response.text()):
            self.problems.append(f"[{self.mode}] {name} ({path}): {problem}")
        self.check(page, name)

    def check(self, page, name):
        if self.mode == "toggle-dark":
            assert page.evaluate("document.documentElement.dataset.theme") == "dark", name
        for violation in page.evaluate(RUN_AXE):
            self.problems.append(
                f"[{self.mode}] {name} ({page.url}): {violation['impact']} {violation['id']}: "
                f"{violation['help']}\n      " + "\n      ".join(violation["nodes"])
            )
        if self.shots:
            self.shots.mkdir(parents=True, exist_ok=True)
            slug = "".join(c if c.isalnum() else "-" for c in name)
            page.screenshot(path=self.shots / f"{self.mode}-{slug}.png", full_page=True)

    def close(self):
        for context in self.contexts:
            context.close()


def _site():
    """The real curriculum, a group with a 7-item assignment, and some work in it."""
    call_command("load_content", verbosity=0)
    instructor = UserFactory(display_name="Ines Instructor")
    learner = UserFactory(display_name="Lin Learner")
    others = [UserFactory(display_name=f"Member {n}") for n in range(3)]
    group = group_with(instructor, members=[learner, *others])
    challenges = list(Challenge.objects.filter(is_active=True).order_by("pk")[:6])
    multi_topic = TopicFactory(slug="axe-multi", title="Pick all that apply")
    for _ in range(10):
        QuestionFactory(topic=multi_topic, kind="multi")
    items = [f"challenge:{c.slug}" for c in challenges] + [f"quiz:{multi_topic.slug}"]
    challenge_set = set_save(author=instructor, title="Week one", description="", items=items)
    assignment = assignment_create(
        actor=instructor,
        group=group,
        challenge_set=challenge_set,
        due_at=timezone.now() + timedelta(days=3),
    )
    first = challenges[0]
    challenge_submit(user=learner, challenge=first, data=first.solution[0].encode())
    xp_award(user=learner, source="badge:team-player", points=10)
    return {
        "instructor": instructor,
        "learner": learner,
        "group": group,
        "assignment": assignment,
        "challenge": first,
        "other_challenge": challenges[1],
        "set": challenge_set,
        "items": list(challenge_set.items.all()),
        "submission": Submission.objects.filter(user=learner).first(),
    }


def _anonymous_pages(tour):
    page = tour.context()
    for path, name in [
        ("/", "home"),
        ("/accounts/login/", "log-in"),
        ("/accounts/password/reset/", "password reset"),
        ("/challenges/sandbox/", "sandbox reference"),
        ("/groups/leaderboard/", "global leaderboard"),
    ]:
        tour.visit(page, path, name)
    tour.visit(page, "/groups/new/", "405 page", status=405)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    tour.check(page, "log-in with a wrong password")
    tour.visit(page, "/accounts/signup/", "sign-up")
    with page.expect_response("**/accounts/signup/"):
        page.get_by_role("button", name="Sign up").click()
    page.wait_for_timeout(200)
    tour.check(page, "sign-up with an empty form")


def _learner_pages(tour, site, settings):
    page = tour.context(site["learner"].username)
    group, assignment = site["group"], site["assignment"]
    for path, name in [
        ("/dashboard/", "dashboard"),
        ("/accounts/profile/", "profile"),
        ("/accounts/password/change/", "password change"),
        ("/quiz/", "quiz index"),
        ("/challenges/", "challenges index"),
        ("/groups/", "groups"),
        (f"/groups/{group.pk}/", "group detail (learner)"),
        (f"/groups/{group.pk}/?period=week", "group detail, this week"),
        (f"/groups/{group.pk}/assignments/{assignment.pk}/board/", "assignment leaderboard"),
        ("/groups/leaderboard/?period=week", "global leaderboard, this week"),
        ("/groups/sets/", "sets"),
        (f"/challenges/{site['challenge'].slug}/", "a solved challenge"),
        (f"/challenges/{site['challenge'].slug}/history/", "challenge history"),
        (f"/challenges/submissions/{site['submission'].pk}/", "a submission"),
        (f"/groups/join/{site['group'].join_code}/", "join link"),
    ]:
        tour.visit(page, path, name)
    debug, settings.DEBUG = settings.DEBUG, False  # the site's own 404 page, not Django's debug one
    tour.visit(page, "/no-such-page/", "404 page", status=404)
    settings.DEBUG = debug

    tour.visit(page, f"/challenges/{site['other_challenge'].slug}/", "a challenge")
    page.get_by_label("Your raw request").fill("")
    with page.expect_response(f"**/challenges/{site['other_challenge'].slug}/send/"):
        page.get_by_role("button", name="Send request").click()
    page.wait_for_timeout(200)
    tour.check(page, "challenge sent with an empty editor")
    with page.expect_response(f"**/challenges/{site['other_challenge'].slug}/grade-tcp/"):
        page.get_by_role("button", name="Grade my last TCP requests").click()
    page.wait_for_timeout(200)
    tour.check(page, "grade with no TCP requests")
    reveal = page.get_by_role("button", name=re.compile(r"^Reveal hint \d"))
    if reveal.count():  # an earlier mode of the tour may have revealed them all
        reveal.click()
    page.locator(".hint").first.wait_for()
    tour.visit(page, f"/challenges/{site['other_challenge'].slug}/", "a challenge with a hint")

    page.goto("/quiz/")
    page.locator('button[name="topic"][value="axe-multi"]').click()
    page.wait_for_url("**/quiz/runs/**")
    tour.check(page, "a quiz question")
    with page.expect_response("**/answer/"):
        page.get_by_role("button", name="Check my answer").click()
    page.wait_for_timeout(200)
    tour.check(page, "multi-select checked with nothing ticked")
    page.locator("#quiz-card input[type=checkbox]").first.check()
    with page.expect_response("**/answer/"):
        page.get_by_role("button", name="Check my answer").click()
    page.wait_for_timeout(200)
    tour.check(page, "quiz feedback")
    page.goto("/groups/")
    page.get_by_role("button", name="Create the group").click()
    page.wait_for_load_state()
    tour.check(page, "start a group with no name")


def _instructor_pages(tour, site):
    page = tour.context(site["instructor"].username)
    group, assignment, items = site["group"], site["assignment"], site["items"]
    base = f"/groups/{group.pk}/assignments/{assignment.pk}"
    learner = site["learner"].username
    for path, name in [
        (f"/groups/{group.pk}/", "group detail (instructor)"),
        (f"{base}/", "progress matrix"),
        (f"{base}/?sort=progress", "progress matrix by progress"),
        (f"{base}/members/{learner}/items/{items[0].pk}/", "cell with attempts"),
        (f"{base}/members/{learner}/items/{items[-1].pk}/", "quiz cell"),
        ("/groups/sets/", "sets (instructor)"),
        ("/groups/sets/new/", "new set form"),
        (f"/groups/sets/{site['set'].pk}/edit/", "set edit form"),
    ]:
        tour.visit(page, path, name)
    page.goto("/groups/sets/new/")
    page.get_by_role("button", name="Save the set").click()
    page.wait_for_load_state()
    tour.check(page, "set form with nothing chosen")
    page.goto(f"/groups/{group.pk}/")
    page.get_by_role("button", name="New code (the old one stops working)").click()
    page.get_by_role("dialog").wait_for()
    tour.check(page, "confirmation dialog")


def test_no_serious_or_critical_violations_on_any_page(browser, live_server, settings, tmp_path):
    site = _site()  # once: loading the curriculum is the slow part, and no visit changes it
    problems, sessions = [], {}
    for mode in MODES:
        tour = Tour(browser, live_server, mode, tmp_path, sessions)
        try:
            _anonymous_pages(tour)
            _learner_pages(tour, site, settings)
            _instructor_pages(tour, site)
        finally:
            tour.close()
        problems += tour.problems
    assert problems == [], "\n".join(problems)


def test_the_nesting_check_finds_a_paragraph_in_a_paragraph():
    assert _nested_blocks("<p><strong>Hint:</strong> <p>text</p></p>") == [
        "<p> inside <p> at line 1"
    ]
    assert _nested_blocks("<div><strong>Hint:</strong> <p>text</p></div><p>x</p>") == []


def test_the_tour_reports_a_violation_when_there_is_one(browser, live_server, tmp_path):
    tour = Tour(browser, live_server, "dark", tmp_path)
    try:
        page = tour.context()
        page.goto("/")
        page.evaluate(
            """document.querySelector("main").insertAdjacentHTML(
                "beforeend", '<img src="/static/favicon.svg"><p style="color:#333">faint</p>')"""
        )
        tour.check(page, "home with a picture without alt text")
    finally:
        tour.close()
    assert any("critical image-alt" in problem for problem in tour.problems), tour.problems
