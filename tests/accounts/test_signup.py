import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory

User = get_user_model()
URL = reverse("accounts:signup")


def _data(**overrides):
    data = {
        "username": "grace",
        "email": "grace@example.org",
        "display_name": "Grace",
        "password1": "fetch-decode-execute-42",
        "password2": "fetch-decode-execute-42",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_page_shows_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'<label for="id_password1">' in response.content


@pytest.mark.django_db
def test_signup_creates_the_user_logs_in_and_lands_on_dashboard(client):
    response = client.post(URL, _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(username="grace")
    assert user.email == "grace@example.org"
    assert user.display_name == "Grace"
    assert user.sandbox_key.startswith("k") and len(user.sandbox_key) == 12
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert b"Hello, Grace" in dashboard.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"username": "taken"}, "username", "A user with that username already exists."),
        (
            {"password1": "password", "password2": "password"},
            "password2",
            "This password is too common.",
        ),
        (
            {"password1": "12345678901", "password2": "12345678901"},
            "password2",
            "This password is entirely numeric.",
        ),
        ({"password2": "something-else-entirely"}, "password2", "The two password fields didn"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        (
            {"email": "TAKEN@example.org"},
            "email",
            "An account with this email address already exists.",
        ),
        ({"username": ""}, "username", "This field is required."),
    ],
)
def test_signup_rejects_bad_input_and_creates_nobody(client, overrides, field, message):
    UserFactory(username="taken", email="taken@example.org")
    before = User.objects.count()
    response = client.post(URL, _data(**overrides))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message.replace("'", "&#x27;")[:30] in response.content.decode()
    assert User.objects.count() == before


@pytest.mark.django_db
def test_signup_htmx_gets_only_the_form_fragment(client, htmx_headers):
    response = client.post(URL, _data(email="bad"), headers=htmx_headers)
    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="signup-form"')
    assert "<html" not in body
    assert "Enter a valid email address." in body


@pytest.mark.django_db
def test_signup_refuses_other_methods(client):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


@pytest.mark.django_db
def test_signed_in_user_is_sent_from_signup_to_dashboard(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


@pytest.mark.django_db
def test_signup_over_htmx_tells_the_browser_to_go_to_the_dashboard(client, htmx_headers):
    response = client.post(URL, _data(), headers=htmx_headers)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("dashboard")
    assert User.objects.filter(username="grace").exists()


@pytest.mark.django_db
def test_signup_keeps_the_time_zone_the_browser_filled_in(client):
    client.post(URL, _data(time_zone="Asia/Kolkata"))
    assert User.objects.get(username="grace").time_zone == "Asia/Kolkata"


@pytest.mark.django_db
def test_signup_without_a_time_zone_starts_at_utc(client):
    client.post(URL, _data())
    assert User.objects.get(username="grace").time_zone == "UTC"


@pytest.mark.django_db
def test_signup_refuses_a_time_zone_it_does_not_know(client):
    response = client.post(URL, _data(time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 400
    assert "Choose a time zone from the list" in response.content.decode()
    assert not User.objects.filter(username="grace").exists()


@pytest.mark.django_db
def test_signup_form_asks_the_browser_for_its_zone_only_when_empty(client):
    page = client.get(URL).content.decode()
    assert 'data-browser-zone="fill"' in page and "js/timezone.js" in page
    refused = client.post(URL, _data(username="")).content.decode()
    assert "data-browser-zone" not in refused
