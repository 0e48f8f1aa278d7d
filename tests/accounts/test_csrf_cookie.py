"""The CSRF cookie is out of scripts' reach; the token reaches htmx through the page."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_csrf_cookie_is_httponly(client, settings):
    response = client.get(reverse("accounts:signup"))
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_the_page_hands_htmx_the_token_that_the_cookie_checks():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile"))
    body = page.content.decode()
    token = body.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    saved = client.post(
        reverse("accounts:profile"),
        {"display_name": "Ada", "time_zone": "UTC", "show_on_leaderboards": "on"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert saved.status_code == 200
    refused = client.post(
        reverse("accounts:profile"), {"display_name": "Eve"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 403
