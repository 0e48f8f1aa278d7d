"""The path page, unit pages and the lesson-read button: visitors, learners, htmx, bad input."""

import pytest
from django.urls import reverse

from curriculum.models import UnitProgress
from curriculum.templatetags.lessons import citations_linked
from tests.curriculum.path_helpers import pass_checkpoint, path_of, solve_challenges
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DIAGRAM = {
    "kind": "message",
    "title": "The parts of a request",
    "alt": "A GET request: its request line, one header field and the empty line.",
    "parts": [
        {"part": "start-line", "label": "Request line", "lines": ["GET /books/1 HTTP/1.1"]},
        {"part": "headers", "label": "Header fields", "lines": ["Host: sandbox.localhost"]},
        {"part": "empty-line", "label": "Empty line", "lines": [""]},
    ],
}
TRY = {
    "slug": "get-a-book",
    "intro": "Send it.",
    "request": "GET /books/7 HTTP/1.1\nHost: sandbox.localhost\n\n",
}


@pytest.fixture
def units(db):
    made = path_of(3)
    lesson = made[0].lesson
    lesson.blocks = [
        {"text": "### First\n\nA server reads it and answers (RFC 9110 §3.3)."},
        {"diagram": DIAGRAM},
        {"try": TRY},
        {"text": "Then the length (RFC 9110 §8.3, §8.6)."},
        {"diagram": DIAGRAM},
    ]
    lesson.save()
    return made


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _unit_url(unit):
    return reverse("curriculum:unit", args=[unit.slug])


def test_the_path_lists_every_unit_with_a_status_in_words(client, learner, units):
    page = client.get("/learn/").content.decode()
    assert "0 of 3 units complete" in page
    assert page.count("</svg> Locked") == 2 and "▶ You are here" in page
    assert "Continue: unit 1, step 1" in page
    assert 'name="placement"' in page and 'value="unit-3"' in page


def test_the_path_shows_completed_units_and_the_next_one_current(client, learner, units):
    pass_checkpoint(learner, units[0])
    solve_challenges(learner, units[0])
    page = client.get("/learn/").content.decode()
    assert "1 of 3 units complete" in page and "✓ Complete" in page
    assert "Continue: unit 2, step 1" in page


def test_a_visitor_can_read_the_path_and_a_lesson_but_not_take_a_checkpoint(client, units):
    page = client.get("/learn/").content.decode()
    assert "Create a free account" in page and 'name="placement"' not in page
    unit_page = client.get(_unit_url(units[0])).content.decode()
    assert "A server reads it and answers" in unit_page
    assert "to take the checkpoint" in unit_page and "Start the checkpoint" not in unit_page


def test_a_unit_page_renders_its_blocks_in_order_with_linked_citations(client, learner, units):
    page = client.get(_unit_url(units[0])).content.decode()
    first, try_box, second = (
        page.index("A server reads it"),
        page.index("GET /books/7 HTTP/1.1"),  # the try box, whoever draws it
        page.index("Then the length"),
    )
    assert first < try_box < second
    assert '<a class="citation" href="https://www.rfc-editor.org/rfc/rfc9110#section-3.3"' in page
    assert 'href="https://www.rfc-editor.org/rfc/rfc9110#section-8.6"' in page
    # Two diagrams of the same data on one page never share an SVG id.
    assert 'id="u1-b2-' in page and 'id="u1-b5-' in page
    assert "<h3>First</h3>" in page


def test_a_unit_page_lists_its_steps(client, learner, units):
    page = client.get(_unit_url(units[0])).content.decode()
    assert "I have read the lesson" in page
    assert 'name="unit" value="unit-1" class="button' in page and "Start the checkpoint" in page
    assert 'href="/challenges/u1-c0/"' in page and "Not solved yet" in page


def test_a_locked_unit_is_readable_but_its_checkpoint_is_locked(client, learner, units):
    page = client.get(_unit_url(units[1])).content.decode()
    assert "</svg> Locked.</strong>" in page and "unit 1: Unit 1" in page
    assert "The checkpoint opens when you complete unit 1" in page
    assert 'name="unit" value="unit-2" class="button' not in page  # no checkpoint button


def test_starting_a_locked_checkpoint_is_refused_with_a_message(client, learner, units):
    response = client.post(reverse("quiz:start"), {"unit": units[1].slug}, follow=True)
    assert response.redirect_chain[-1][0] == _unit_url(units[1])
    assert "opens when you complete the unit before it" in response.content.decode()
    assert not learner.quiz_runs.exists()


def test_starting_a_checkpoint_of_an_unknown_unit_is_refused(client, learner, units):
    response = client.post(reverse("quiz:start"), {"unit": "no-such-unit"}, follow=True)
    assert "There is no such unit" in response.content.decode()
    assert not learner.quiz_runs.exists()


def test_starting_the_checkpoint_opens_its_run(client, learner, units):
    response = client.post(reverse("quiz:start"), {"unit": units[0].slug})
    run = learner.quiz_runs.get()
    assert response.url == reverse("quiz:run", args=[run.pk]) and run.unit == units[0]
    page = client.get(response.url).content.decode()
    assert "Checkpoint" in page and "Question 1 of 5" in page


def test_the_checkpoint_summary_says_what_is_left(client, learner, units):
    run = pass_checkpoint(learner, units[0], wrong=1)
    page = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert "Checkpoint: 4 of 5 right (80%)" in page
    assert "Solve the challenges to complete the unit" in page
    assert 'href="/challenges/u1-c0/"' in page and "Back to unit 1" in page


def test_the_checkpoint_summary_says_try_again_under_eighty_percent(client, learner, units):
    run = pass_checkpoint(learner, units[0], wrong=2)
    page = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert "Checkpoint: 3 of 5 right (60%)" in page and "Try the checkpoint again" in page


def test_the_checkpoint_summary_says_unit_complete(client, learner, units):
    solve_challenges(learner, units[0])
    run = pass_checkpoint(learner, units[0])
    page = client.get(reverse("quiz:run", args=[run.pk])).content.decode()
    assert "Checkpoint: 5 of 5 right (100%)" in page and "unit complete." in page


def test_marking_the_lesson_read_redirects_to_the_steps(client, learner, units):
    response = client.post(reverse("curriculum:lesson_read", args=[units[0].slug]))
    assert response.url == _unit_url(units[0]) + "#steps"
    assert UnitProgress.objects.get(user=learner, unit=units[0]).lesson_done_at is not None


def test_marking_the_lesson_read_with_htmx_returns_the_steps_with_focus(
    client, learner, units, htmx_headers
):
    url = reverse("curriculum:lesson_read", args=[units[0].slug])
    page = client.post(url, headers=htmx_headers).content.decode()
    assert page.lstrip().startswith('<section id="steps"')
    assert "data-focus-here" in page and "✓ Read" in page and "<html" not in page


def test_the_unit_page_as_htmx_is_its_steps_fragment(client, learner, units, htmx_headers):
    page = client.get(_unit_url(units[0]), headers=htmx_headers).content.decode()
    assert page.lstrip().startswith('<section id="steps"') and "Lesson" not in page


def test_a_visitor_marking_a_lesson_read_is_sent_to_log_in(client, units):
    response = client.post(reverse("curriculum:lesson_read", args=[units[0].slug]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not UnitProgress.objects.exists()


def test_wrong_methods_are_405(client, learner, units):
    assert client.post("/learn/").status_code == 405
    assert client.post(_unit_url(units[0])).status_code == 405
    assert client.get(reverse("curriculum:lesson_read", args=[units[0].slug])).status_code == 405


def test_unknown_and_retired_units_are_404(client, learner, units):
    assert client.get("/learn/no-such-unit/").status_code == 404
    units[2].is_active = False
    units[2].save()
    assert client.get(_unit_url(units[2])).status_code == 404
    assert client.post(reverse("curriculum:lesson_read", args=["no-such-unit"])).status_code == 404


def test_the_unit_complete_moment_shows_once(client, learner, units):
    pass_checkpoint(learner, units[0])
    solve_challenges(learner, units[0])
    first = client.get(_unit_url(units[0])).content.decode()
    assert "Unit 1 complete!" in first and "Start unit 2: Unit 2" in first
    second = client.get(_unit_url(units[0])).content.decode()
    assert "Unit 1 complete!" not in second and "✓ Unit complete." in second


def test_the_steps_fragment_does_not_use_up_the_moment(client, learner, units, htmx_headers):
    pass_checkpoint(learner, units[0])
    solve_challenges(learner, units[0])
    client.get(_unit_url(units[0]), headers=htmx_headers)
    assert "Unit 1 complete!" in client.get(_unit_url(units[0])).content.decode()


def test_the_dashboard_shows_the_continue_box(client, learner, units):
    page = client.get(reverse("dashboard")).content.decode()
    assert "Continue: unit 1, step 1" in page and 'href="/learn/unit-1/#lesson"' in page


def test_the_visitors_home_page_offers_the_course(client, units):
    assert 'href="/learn/"' in client.get("/").content.decode()


def test_placement_from_the_path_page_starts_a_placement_run(client, learner, units):
    response = client.post(reverse("quiz:start"), {"placement": units[2].slug})
    run = learner.quiz_runs.get()
    assert (run.kind, run.unit) == ("placement", units[2])
    assert "Placement check: skip to unit 3" in client.get(response.url).content.decode()


def test_placement_to_an_open_unit_goes_back_to_the_path_with_a_message(client, learner, units):
    response = client.post(reverse("quiz:start"), {"placement": units[0].slug}, follow=True)
    assert response.redirect_chain[-1][0] == "/learn/"
    assert "already open" in response.content.decode() and not learner.quiz_runs.exists()


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<p>(RFC 9112 §2.2)</p>",
            '<p>(<a class="citation" href="https://www.rfc-editor.org/rfc/rfc9112#section-2.2" rel="noopener noreferrer">RFC 9112 §2.2</a>)</p>',
        ),
        ('<p><a href="/x">RFC 9110 §3</a></p>', '<p><a href="/x">RFC 9110 §3</a></p>'),
        ('<p title="RFC 9110 §3">x</p>', '<p title="RFC 9110 §3">x</p>'),
        ("<p>RFC 9110 without a section</p>", "<p>RFC 9110 without a section</p>"),
    ],
)
def test_citations_become_links_only_in_text(html, expected):
    assert citations_linked(html) == expected
