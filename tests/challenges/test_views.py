import base64

import pytest
from django.urls import reverse

from challenges.models import (
    ChallengeProgress,
    ChallengeSolve,
    RecordedExchange,
    SandboxState,
    Submission,
)
from challenges.services import sandbox_send, sandbox_state_for
from challenges.submissions import SUBMISSIONS_PER_MINUTE
from tests.factories import ChallengeFactory, TwoStepChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db

GET_BOOK_TEXT = "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n"


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _send(client, challenge, text=GET_BOOK_TEXT, endings="crlf", **kwargs):
    return client.post(
        reverse("challenges:send", args=[challenge.slug]),
        {"request": text, "line_endings": endings},
        **kwargs,
    )


def test_index_groups_challenges_by_topic_with_status(client, learner):
    solved, fresh = ChallengeFactory(title="Fetch a book"), ChallengeFactory(title="Another")
    ChallengeProgress.objects.create(user=learner, challenge=solved, status="solved")
    body = client.get(reverse("challenges:index")).content.decode()
    assert "Fetch a book" in body and "✓ Solved" in body and "○ New" in body
    assert "Another" in body and fresh.topic.title in body


def test_index_empty_state(client):
    assert (
        "No challenges are loaded yet" in client.get(reverse("challenges:index")).content.decode()
    )


def test_detail_shows_brief_editor_hints_and_tcp_address(client, learner):
    challenge = ChallengeFactory()
    body = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert "<strong>book 1</strong>" in body
    assert 'id="challenge-request"' in body and "GET / HTTP/1.1" in body
    assert "Reveal hint 1 (costs 5 XP)" in body
    assert f"curl -v http://{learner.sandbox_key}.sandbox.localhost:8080/books" in body
    assert "Give up and show the solution" in body


def test_detail_needs_login_and_unknown_slug_is_404(client):
    challenge = ChallengeFactory()
    assert client.get(reverse("challenges:detail", args=[challenge.slug])).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("challenges:detail", args=["nope"])).status_code == 404


def test_inactive_challenge_is_404(client, learner):
    challenge = ChallengeFactory(is_active=False)
    assert client.get(reverse("challenges:detail", args=[challenge.slug])).status_code == 404


def test_send_without_js_renders_the_page_with_the_verdict(client, learner):
    challenge = ChallengeFactory()
    response = _send(client, challenge)
    body = response.content.decode()
    assert response.status_code == 200
    assert "✓" in body and "passed" in body and "Solved!" in body and "+20 XP" in body
    assert "HTTP/1.1 200 OK" in body
    assert '<span class="line-end" title="CRLF: carriage return, line feed">\\r\\n</span>' in body


def test_send_over_htmx_returns_result_and_oob_fragments(client, learner, htmx_headers):
    challenge = ChallengeFactory()
    body = _send(client, challenge, headers=htmx_headers).content.decode()
    assert body.lstrip().startswith('<section id="result"')
    assert 'id="steps"' in body and 'hx-swap-oob="true"' in body
    assert "<html" not in body


def test_as_typed_line_endings_reach_the_server_as_bare_lf(client, learner):
    challenge = ChallengeFactory()
    encoded = base64.b64encode(GET_BOOK_TEXT.encode()).decode()
    response = client.post(
        reverse("challenges:send", args=[challenge.slug]),
        {"request": "ignored", "raw_b64": encoded, "line_endings": "typed"},
    )
    assert "bare-lf" in response.content.decode()
    assert bytes(RecordedExchange.objects.get().raw_request) == GET_BOOK_TEXT.encode()


def test_diagnostics_point_at_line_and_column(client, learner):
    challenge = ChallengeFactory()
    body = _send(client, challenge, "GET /books/1 HTTP/1.1\nHost : x\n\n").content.decode()
    assert "line 2, column 5" in body and "space-before-colon" in body
    assert "    ^" in body


def test_empty_request_gets_a_clear_message_and_records_nothing(client, learner):
    challenge = ChallengeFactory()
    response = _send(client, challenge, "   ")
    assert response.status_code == 400 and "nothing to send" in response.content.decode()
    assert not Submission.objects.exists()


def test_bad_line_ending_choice_is_refused(client, learner):
    challenge = ChallengeFactory()
    response = _send(client, challenge, endings="sideways")
    assert response.status_code == 400 and "line endings" in response.content.decode()
    assert not Submission.objects.exists()


def test_rate_limit_answers_429_with_a_message(client, learner):
    challenge = ChallengeFactory()
    for _ in range(SUBMISSIONS_PER_MINUTE):
        _send(client, challenge, "GET /x HTTP/1.1\nHost: x\n\n")
    response = _send(client, challenge)
    assert response.status_code == 429 and "Too Many Requests" in response.content.decode()


def test_send_refuses_get_and_needs_login(client):
    challenge = ChallengeFactory()
    assert _send(client, challenge).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("challenges:send", args=[challenge.slug])).status_code == 405


def test_multi_step_page_shows_the_steps_and_moves_on(client, learner):
    challenge = TwoStepChallengeFactory()
    body = _send(client, challenge).content.decode()
    assert "Step 1 of 2:" in body and "On to step 2" in body
    assert "Current step:</span>\n          Step 2: Revalidate it" in body


def test_hint_reveal_over_htmx_and_without(client, learner, htmx_headers):
    challenge = ChallengeFactory()
    url = reverse("challenges:hint", args=[challenge.slug])
    fragment = client.post(url, headers=htmx_headers).content.decode()
    assert fragment.lstrip().startswith('<section id="hints"') and "Use GET." in fragment
    assert client.post(url)["Location"] == reverse("challenges:detail", args=[challenge.slug])
    assert ChallengeProgress.objects.get(user=learner).hints_revealed == 2
    assert client.get(url).status_code == 405


def test_give_up_shows_the_solution_with_placeholders_as_prose(client, learner):
    challenge = TwoStepChallengeFactory()
    client.post(reverse("challenges:give_up", args=[challenge.slug]))
    body = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert "If-None-Match: &lt;the ETag header of the previous response&gt;" in body


def test_give_up_and_reset_ask_first_but_stay_plain_forms_without_js(client, learner):
    import re

    challenge = ChallengeFactory()
    body = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    for action in (
        reverse("challenges:give_up", args=[challenge.slug]),
        reverse("challenges:sandbox_reset"),
    ):
        form = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>', body)
        assert form and 'data-confirm="' in form[0] and "data-confirm-ok=" in form[0]
        assert "hx-" not in form[0]  # without JS the button posts as it always did
    assert 'id="confirm-dialog"' in body
    assert client.post(reverse("challenges:give_up", args=[challenge.slug])).status_code == 302
    assert ChallengeProgress.objects.get(user=learner, challenge=challenge).gave_up


def test_grade_tcp_without_requests_explains_how(client, learner):
    challenge = ChallengeFactory()
    response = client.post(reverse("challenges:grade_tcp", args=[challenge.slug]))
    assert (
        response.status_code == 400
        and "No new requests reached the TCP sandbox" in response.content.decode()
    )


def test_grade_tcp_grades_recorded_requests(client, learner):
    challenge = ChallengeFactory()
    sandbox_send(user=learner, data=GET_BOOK_TEXT.replace("\n", "\r\n").encode(), source="tcp")
    body = client.post(reverse("challenges:grade_tcp", args=[challenge.slug])).content.decode()
    assert "Solved!" in body


def test_reset_gives_a_fresh_bookshop_and_refuses_get(client, learner):
    sandbox_send(
        user=learner,
        data=b"DELETE /books/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRhOmxvdmVsYWNl\r\n\r\n",
        source="editor",
    )
    response = client.post(reverse("challenges:sandbox_reset"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("challenges:index")
    assert len(SandboxState.objects.get(user=learner).data["books"]) == 6
    assert client.get(reverse("challenges:sandbox_reset")).status_code == 405


def test_history_and_submission_are_private(client, learner):
    challenge = ChallengeFactory()
    _send(client, challenge)
    submission = Submission.objects.get()
    assert client.get(reverse("challenges:history", args=[challenge.slug])).status_code == 200
    page = client.get(reverse("challenges:submission", args=[submission.pk])).content.decode()
    assert "HTTP/1.1 200 OK" in page
    client.force_login(UserFactory())
    assert client.get(reverse("challenges:submission", args=[submission.pk])).status_code == 404
    assert (
        "No attempts yet"
        in client.get(reverse("challenges:history", args=[challenge.slug])).content.decode()
    )


def test_history_fragment_for_htmx(client, learner, htmx_headers):
    challenge = ChallengeFactory()
    _send(client, challenge)
    body = client.get(
        reverse("challenges:history", args=[challenge.slug]), headers=htmx_headers
    ).content.decode()
    assert body.lstrip().startswith('<div id="history-rows">')


def test_sandbox_page_shows_the_reference_and_the_learners_address(client, learner):
    body = client.get(reverse("challenges:sandbox")).content.decode()
    assert learner.sandbox_key in body and "/books" in body


def test_sandbox_reference_keeps_its_outline_under_the_pages_own_h1(client, learner):
    body = client.get(reverse("challenges:sandbox")).content.decode()
    article = body[body.index('<article class="sandbox-reference"') : body.index("</article>")]
    # API.md's "# The sandbox bookshop" is the article's h2, its sections h3, theirs h4.
    assert '<h2 id="the-sandbox-bookshop">The sandbox bookshop</h2>' in article
    assert '<h3 id="endpoints">Endpoints</h3>' in article
    assert '<h4 id="content-negotiation">Content negotiation</h4>' in article
    # Its links to its own sections land on a heading.
    for target in ("how-your-bytes-are-read", "logging-in"):
        assert f'href="#{target}"' in article and f'id="{target}"' in article
    assert "<h1" not in article and body.count("<h1") == 1
    assert 'class="reference"' not in body  # that class is the quiz's small grey source line


def test_curriculum_snippets_still_leave_out_h1_and_h2():
    from accounts.templatetags.markup import markdown_filter, reference_markdown_filter

    snippet = str(markdown_filter("# Big\n\n## Less\n\n### Small"))
    assert "<h1" not in snippet and "<h2" not in snippet and "<h3>Small</h3>" in snippet
    document = str(reference_markdown_filter("# Big\n\n<script>x()</script>"))
    assert document.startswith('<h2 id="big">Big</h2>') and "<script" not in document


def test_sandbox_state_is_per_learner():
    first, second = UserFactory(), UserFactory()
    sandbox_send(
        user=first,
        data=b"DELETE /books/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRhOmxvdmVsYWNl\r\n\r\n",
        source="editor",
    )
    assert len(sandbox_state_for(first).data["books"]) == 5
    assert len(sandbox_state_for(second).data["books"]) == 6


def test_restart_goes_back_to_step_one(client, learner):
    challenge = TwoStepChallengeFactory()
    assert "Start over from step 1" in _send(client, challenge).content.decode()
    response = client.post(reverse("challenges:restart", args=[challenge.slug]))
    assert response["Location"] == reverse("challenges:detail", args=[challenge.slug])
    assert ChallengeProgress.objects.get(user=learner).current_step == 0
    assert client.get(reverse("challenges:restart", args=[challenge.slug])).status_code == 405


# --- the page follows a send (issue 10, point 2) ----------------------------


def test_a_send_over_htmx_refreshes_the_side_panels_out_of_band(client, learner, htmx_headers):
    challenge = ChallengeFactory()
    fragment = _send(client, challenge, headers=htmx_headers).content.decode()
    assert fragment.lstrip().startswith('<section id="result"')
    for panel in ("hints", "solution", "history"):
        assert (
            f'<section id="{panel}" class="panel" aria-labelledby="{panel}-heading" hx-swap-oob="true">'
            in fragment
        )
    assert 'id="challenge-status" class="meta" hx-swap-oob="true"' in fragment
    # Solved now: the solution shows, and hints no longer cost anything.
    assert "GET /books/1 HTTP/1.1" in fragment.split('id="solution"')[1]
    assert "Reveal hint 1 (free: no XP at stake now)" in fragment
    assert "Step 1 via browser editor" in fragment.split('id="history"')[1]


def test_the_full_page_has_no_out_of_band_panels(client, learner):
    body = client.get(reverse("challenges:detail", args=[ChallengeFactory().slug])).content.decode()
    assert '<section id="history" class="panel" aria-labelledby="history-heading">' in body
    assert body.count('hx-swap-oob="true"') == 2  # status and steps, harmless on a full page


def test_a_refused_send_is_inline_and_keeps_the_panels(client, learner, htmx_headers):
    challenge = ChallengeFactory()
    response = _send(client, challenge, text="  \n", headers=htmx_headers)
    body = response.content.decode()
    assert response.status_code == 400 and "nothing to send yet" in body
    assert 'id="history"' in body and "No attempts yet." in body
    assert not Submission.objects.exists()


def test_a_hint_over_htmx_also_updates_the_xp_line(client, learner, htmx_headers):
    challenge = ChallengeFactory(points=20)
    url = reverse("challenges:hint", args=[challenge.slug])
    fragment = client.post(url, headers=htmx_headers).content.decode()
    assert fragment.lstrip().startswith(
        '<section id="hints" class="panel" aria-labelledby="hints-heading">'
    )
    status = fragment.split('id="challenge-status"')[1]
    assert 'hx-swap-oob="true"' in status.split(">")[0] and "20 XP (15 after hints)" in status


def test_hint_for_an_unknown_or_inactive_challenge_is_404(client, learner):
    hidden = ChallengeFactory(is_active=False)
    assert client.post(reverse("challenges:hint", args=[hidden.slug])).status_code == 404
    assert client.post(reverse("challenges:grade_tcp", args=["nope"])).status_code == 404


def test_grade_tcp_refuses_get_and_needs_login(client):
    challenge = ChallengeFactory()
    url = reverse("challenges:grade_tcp", args=[challenge.slug])
    assert client.post(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405


def test_grade_tcp_shows_each_request_annotated_and_which_one_passed(client, learner, htmx_headers):
    challenge = ChallengeFactory()
    sandbox_send(user=learner, data=b"GET /books/2 HTTP/1.1\nHost: x\n\n", source="tcp")
    sandbox_send(user=learner, data=GET_BOOK_TEXT.replace("\n", "\r\n").encode(), source="tcp")
    fragment = client.post(
        reverse("challenges:grade_tcp", args=[challenge.slug]), headers=htmx_headers
    ).content.decode()
    first, second = fragment.split('class="graded-request"')[1:3]
    assert "Request 1 of 2:\n" in first and "not judged by this step" in first
    assert "GET /books/2 HTTP/1.1" in first and "\\n</span>" in first  # the bare LF, shown
    assert 'class="diagnostic diagnostic-warning"' in first
    assert "Request 2 of 2:" in second and "passed its checks" in second
    assert "\\r\\n</span>" in second and "HTTP/1.1 200 OK" in second
    assert (
        'id="history" class="panel" aria-labelledby="history-heading" hx-swap-oob="true"'
        in fragment
    )


def test_grade_tcp_marks_a_failing_last_request(client, learner):
    challenge = ChallengeFactory()
    sandbox_send(user=learner, data=b"GET /books/3 HTTP/1.1\r\nHost: x\r\n\r\n", source="tcp")
    body = client.post(reverse("challenges:grade_tcp", args=[challenge.slug])).content.decode()
    assert "Request 1 of 1:" in body and "did not pass its checks" in body
    assert "not yet" in body


@pytest.mark.django_db
def test_a_fresh_attempt_in_the_history_says_just_now(client):
    learner = UserFactory()
    challenge = ChallengeFactory()
    client.force_login(learner)
    _send(client, challenge)
    body = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert "just now" in body and "0 minutes ago" not in body


@pytest.mark.django_db
def test_a_follow_on_is_shown_once_folded_under_its_cause(client):
    client.force_login(UserFactory())
    challenge = ChallengeFactory()
    raw = "POST /echo HTTP/1.1\nHost: x\nContent-Length: 1\n\n{}"
    body = _send(client, challenge, raw).content.decode()
    cause = body.index("content-length-shorter-than-body")
    folded = body.index("Follows from this")
    follow_on = body.index("<code>malformed-request-line</code>")
    assert cause < folded < follow_on
    # The follow-on appears once on the page: under its cause, not again on its own line.
    assert body.count("<code>malformed-request-line</code>") == 1


def test_a_challenge_of_a_units_checkpoint_links_back_to_the_unit(client):
    from tests.factories import UnitFactory

    challenge = ChallengeFactory(slug="unit-linked")
    unit = UnitFactory(checkpoint_challenges=["unit-linked"])
    client.force_login(UserFactory())
    page = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert f'href="{reverse("curriculum:unit", args=[unit.slug])}"' in page
    assert "part of <a" in page


def test_a_challenge_in_no_unit_names_none(client):
    challenge = ChallengeFactory(slug="on-its-own")
    client.force_login(UserFactory())
    page = client.get(reverse("challenges:detail", args=[challenge.slug])).content.decode()
    assert "part of <a" not in page


def test_a_replay_of_a_solved_challenge_says_practice_and_lists_both_attempts(
    client, learner, htmx_headers
):
    challenge = ChallengeFactory(points=20)
    _send(client, challenge, headers=htmx_headers)
    fragment = _send(client, challenge, headers=htmx_headers).content.decode()
    assert "Passed again (practice: no XP)." in fragment and "Solved!" not in fragment
    assert fragment.split('id="history"')[1].count("Step 1 via browser editor") == 2
    assert ChallengeSolve.objects.filter(user=learner, challenge=challenge).count() == 1
