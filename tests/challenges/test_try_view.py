"""POST /challenges/try/: a lesson's try-it box runs in the learner's own sandbox, ungraded."""

import base64

import pytest
from django.urls import reverse

from accounts.models import XpAward
from challenges.models import RecordedExchange, SandboxState, Submission
from challenges.sandbox import LIMITS
from challenges.services import sandbox_state_for
from challenges.submissions import SUBMISSIONS_PER_MINUTE
from curriculum.models import Lesson, Unit, UnitProgress
from tests.factories import TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/challenges/try/"
GET_BOOK = "GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n"
DELETE_BOOK = (
    "DELETE /books/2 HTTP/1.1\nHost: sandbox.localhost\nAuthorization: Basic YWRhOmxvdmVsYWNl\n\n"
)


def _box(slug, request=GET_BOOK):
    return {
        "try": {
            "slug": slug,
            "intro": "Send it.",
            "request": request,
            "expect": {"status": 200, "headers": {}, "body_contains": ""},
        }
    }


@pytest.fixture
def unit():
    unit = Unit.objects.create(
        slug="methods", number=1, title="Methods", summary="Use them.", topic=TopicFactory()
    )
    blocks = [{"text": "Methods (RFC 9110 §9)."}, _box("get-a-book"), _box("delete-a-book")]
    Lesson.objects.create(unit=unit, blocks=blocks, words=3)
    return unit


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _send(client, text=GET_BOOK, endings="crlf", headers=None, **fields):
    return client.post(URL, {"request": text, "line_endings": endings, **fields}, headers=headers)


def test_the_url_is_challenges_try():
    assert reverse("challenges:try") == URL


def test_send_shows_the_annotated_request_and_the_raw_response_page(client, learner, unit):
    response = _send(client, unit="methods", **{"try": "get-a-book"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and "Your request, as the server read it" in body
    assert "HTTP/1.1 200 OK" in body and "\\r\\n" in body
    assert 'href="/learn/methods/#try-methods-get-a-book"' in body


def test_htmx_gets_only_the_result_fragment_with_its_diagnostics(
    client, learner, unit, htmx_headers
):
    text = "GET /books/1 HTTP/1.1\nHost : sandbox.localhost\n\n"
    response = _send(client, text, headers=htmx_headers)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "data-focus-here" in body
    assert "Error at line 2, column 5" in body and "data-diagnostics=" in body
    assert "HTTP/1.1 400 Bad Request" in body


def test_no_grading_no_submission_no_xp(client, learner, unit):
    _send(client, unit="methods", **{"try": "get-a-book"})
    assert Submission.objects.count() == 0
    assert not XpAward.objects.filter(user=learner).exists()


def test_exact_bytes_are_recorded_as_an_editor_exchange(client, learner):
    _send(client, GET_BOOK)
    (row,) = RecordedExchange.objects.filter(user=learner)
    assert bytes(row.raw_request) == GET_BOOK.replace("\n", "\r\n").encode()
    assert row.source == RecordedExchange.Source.EDITOR and row.status == 200


def test_typed_line_endings_from_raw_b64_keep_a_bare_lf(client, learner):
    raw = base64.b64encode(GET_BOOK.encode()).decode()
    _send(client, "ignored", endings="typed", raw_b64=raw)
    row = RecordedExchange.objects.get(user=learner)
    assert bytes(row.raw_request) == GET_BOOK.encode()


def test_the_learner_s_own_state_changes_and_nobody_else_s(client, learner):
    other = UserFactory()
    sandbox_state_for(other)
    before = SandboxState.objects.get(user=other).data
    _send(client, DELETE_BOOK)
    assert 2 not in {book["id"] for book in sandbox_state_for(learner).data["books"]}
    assert SandboxState.objects.get(user=other).data == before
    assert not RecordedExchange.objects.filter(user=other).exists()


def test_tries_sent_gets_each_slug_once(client, learner, unit):
    for slug in ["get-a-book", "get-a-book", "delete-a-book"]:
        assert _send(client, unit="methods", **{"try": slug}).status_code == 200
    progress = UnitProgress.objects.get(user=learner, unit=unit)
    assert progress.tries_sent == ["get-a-book", "delete-a-book"]


@pytest.mark.parametrize(
    "fields",
    [
        {"unit": "methods", "try": "no-such-box"},
        {"unit": "no-such-unit", "try": "get-a-book"},
        {"unit": "", "try": ""},
        {"unit": "../../evil", "try": "<script>"},
    ],
)
def test_unknown_unit_or_try_still_sends_but_records_no_progress(client, learner, unit, fields):
    response = _send(client, **fields)
    assert response.status_code == 200 and "HTTP/1.1 200 OK" in response.content.decode()
    assert not UnitProgress.objects.exists()
    assert 'href="/learn/"' in response.content.decode()


def test_an_inactive_unit_s_box_is_ignored(client, learner, unit):
    Unit.objects.filter(pk=unit.pk).update(is_active=False)
    _send(client, unit="methods", **{"try": "get-a-book"})
    assert not UnitProgress.objects.exists()


def test_the_back_link_never_follows_posted_text(client, learner, unit):
    body = _send(client, next="https://evil.example/", unit="methods").content.decode()
    assert "evil.example" not in body


def test_anonymous_htmx_gets_a_log_in_link_in_the_fragment(client, unit, htmx_headers):
    response = _send(client, unit="methods", headers=htmx_headers, **{"try": "get-a-book"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "/accounts/login/?next=/learn/methods/%23try-methods-get-a-book" in body
    assert not RecordedExchange.objects.exists() and not SandboxState.objects.exists()


def test_anonymous_plain_post_gets_a_page_with_a_log_in_link(client, unit):
    response = _send(client)
    assert response.status_code == 403
    assert "/accounts/login/?next=" in response.content.decode()
    assert not RecordedExchange.objects.exists()


def test_get_is_405_with_a_page_that_says_so(client, learner):
    response = client.get(URL)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "only takes a form" in response.content.decode()


def test_an_empty_request_is_refused_inline_with_400(client, learner, htmx_headers):
    response = _send(client, "  \n", headers=htmx_headers)
    assert response.status_code == 400
    assert "nothing to send yet" in response.content.decode()
    assert not RecordedExchange.objects.exists()


def test_missing_line_endings_choice_is_refused_with_400(client, learner, htmx_headers):
    response = client.post(URL, {"request": GET_BOOK}, headers=htmx_headers)
    assert (
        response.status_code == 400
        and "choose how to send line endings" in response.content.decode()
    )
    assert not RecordedExchange.objects.exists()


def test_an_oversized_request_is_refused_with_413(client, learner, htmx_headers):
    text = "POST /books HTTP/1.1\nHost: sandbox.localhost\n\n" + "x" * LIMITS.input_bytes
    response = _send(client, text, headers=htmx_headers)
    assert response.status_code == 413
    assert "the sandbox takes at most" in response.content.decode()
    assert not RecordedExchange.objects.exists()


def test_the_editor_s_rate_limit_is_shared(client, learner, htmx_headers):
    for _ in range(SUBMISSIONS_PER_MINUTE):
        assert _send(client, headers=htmx_headers).status_code == 200
    response = _send(client, headers=htmx_headers)
    assert response.status_code == 429 and "Too Many Requests" in response.content.decode()


def test_pipelined_requests_each_show_their_response(client, learner):
    body = _send(client, GET_BOOK + GET_BOOK.replace("/books/1", "/books/999")).content.decode()
    assert "HTTP/1.1 200 OK" in body and "HTTP/1.1 404 Not Found" in body
    assert "Raw response 2 of 2" in body


def test_two_boxes_on_one_page_have_their_own_ids_and_targets(rf):
    from django.template.loader import render_to_string

    request = rf.get("/learn/methods/")
    html = "".join(
        render_to_string(
            "curriculum/_try_it.html",
            {"unit": {"slug": "methods"}, "try": _box(slug, text)["try"]},
            request=request,
        )
        for slug, text in [("get-a-book", GET_BOOK), ("delete-a-book", DELETE_BOOK)]
    )
    for slug in ["get-a-book", "delete-a-book"]:
        assert f'id="try-methods-{slug}-result"' in html
        assert f'hx-target="#try-methods-{slug}-result"' in html
        assert f'<input type="hidden" name="try" value="{slug}">' in html
    assert html.count('action="/challenges/try/"') == 2
    assert html.count('value="crlf" checked') == 2 and html.count('aria-live="polite"') == 2
    assert ">GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n</textarea>" in html
