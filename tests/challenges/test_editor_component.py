"""The request editor's server side: the diagnostics the result hands the editor,
and the include that renders an editor (several on one page must not share ids)."""

import json
import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from challenges.forms import SendForm
from challenges.presenters import editor_diagnostics
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _diagnostic(**fields):
    base = {
        "code": "space-before-colon",
        "line": 2,
        "column": 5,
        "severity": "error",
        "message": "No space is allowed between a field name and its colon.",
        "rfc": "RFC 9112 §5.1",
        "fix": "Host: x",
    }
    return {**base, **fields}


def test_editor_diagnostics_keep_line_column_and_leave_follow_ons_folded():
    root = _diagnostic(
        follow_ons=[_diagnostic(code="host-missing", caused_by="space-before-colon")]
    )
    follow_on = _diagnostic(code="host-missing", line=3, column=1, caused_by="space-before-colon")
    items = json.loads(editor_diagnostics([root, follow_on]))
    assert items == [
        {
            "line": 2,
            "column": 5,
            "severity": "error",
            "code": "space-before-colon",
            "message": "No space is allowed between a field name and its colon.",
            "rfc": "RFC 9112 §5.1",
            "fix": "Host: x",
        }
    ]


def test_editor_diagnostics_of_a_clean_request_is_an_empty_list():
    assert editor_diagnostics([]) == "[]"


def test_the_result_fragment_carries_the_diagnostics_at_their_byte_column(client):
    client.force_login(UserFactory())
    challenge = ChallengeFactory()
    response = client.post(
        reverse("challenges:send", args=[challenge.slug]),
        {"request": "GET /books/1 HTTP/1.1\nHost : x\n\n", "line_endings": "crlf"},
        headers={"HX-Request": "true"},
    )
    section = re.search(
        r'<section id="result"[^>]*data-diagnostics="([^"]*)"', response.content.decode()
    )
    items = json.loads(unescape(section.group(1)))
    first = items[0]
    assert (first["line"], first["column"], first["code"]) == (2, 5, "space-before-colon")
    assert first["severity"] == "error" and first["message"]


def test_a_refused_send_carries_no_diagnostics(client):
    client.force_login(UserFactory())
    challenge = ChallengeFactory()
    response = client.post(
        reverse("challenges:send", args=[challenge.slug]),
        {"request": "", "line_endings": "crlf"},
        headers={"HX-Request": "true"},
    )
    assert "data-diagnostics" not in response.content.decode()


def _render(prefix, form):
    request = RequestFactory().get("/")
    request.csp_nonce = "n0nce"
    return render_to_string(
        "challenges/_editor.html",
        {"prefix": prefix, "form": form, "result_target": f"#{prefix}-result", "request": request},
    )


def test_two_editors_on_one_page_have_no_id_in_common():
    form = SendForm(initial={"request": "GET / HTTP/1.1\n", "line_endings": "crlf"})
    first, second = _render("challenge", form), _render("try-get-a-book", form)
    ids = re.findall(r'\bid="([^"]+)"', first + second)
    assert ids and len(ids) == len(set(ids))
    for html, prefix in [(first, "challenge"), (second, "try-get-a-book")]:
        assert f'data-result-target="#{prefix}-result"' in html
        described = re.search(r'aria-describedby="([^"]+)"', html).group(1).split()
        assert all(f'id="{target}"' in html for target in described)
        assert f'<label id="{prefix}-request-label" for="{prefix}-request">' in html


def test_the_include_renders_a_working_form_without_javascript():
    form = SendForm({"request": "GET / HTTP/1.1\n", "line_endings": "typed"})
    html = _render("challenge", form)
    assert re.search(r'<textarea id="challenge-request"[^>]*name="request"', html)
    assert ">GET / HTTP/1.1\n</textarea>" in html
    assert 'name="raw_b64"' in html and 'data-csp-nonce="n0nce"' in html
    assert re.search(r'value="typed" checked', html) and not re.search(
        r'value="crlf" checked', html
    )
    # JavaScript-only controls start hidden, so nothing without JavaScript promises what it lacks.
    assert re.search(r'<button[^>]*aria-pressed="false" hidden', html)
    assert re.search(r'id="challenge-request-keys"[^>]*hidden', html)
