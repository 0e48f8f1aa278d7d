import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
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
    assert user.email == "", "the address joins the account when its mailbox confirms it"
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


def _visible(response) -> tuple:
    """What a sign-up answer shows its sender: status and where it sends them."""
    return response.status_code, response.get("Location"), response.get("HX-Redirect")


CSRF_TOKENS = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')


def _as_seen_by_the_new_learner(client, username: str, address: str) -> str:
    """The dashboard (with the welcome message) and the profile, with what differs by
    nature (name, typed address, sandbox key, CSRF tokens) blanked out."""
    text = client.get(reverse("dashboard")).content.decode()
    text += client.get(reverse("accounts:profile")).content.decode()
    key = User.objects.get(username=username).sandbox_key
    for own, blank in ((key, "KEY"), (address, "ADDRESS"), (username, "NAME")):
        text = text.replace(own, blank)
    return CSRF_TOKENS.sub("TOKEN", text)


def _link(message, path_start: str) -> str:
    return re.search(rf"http://testserver({path_start}\S+)", message.body).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["taken@example.org", "TAKEN@example.org"])
def test_signup_with_a_taken_email_looks_exactly_like_one_with_a_new_email(typed):
    owner = UserFactory(username="taken", email="taken@example.org")
    fresh_client, reused_client = Client(), Client(REMOTE_ADDR="198.51.100.2")
    fresh = fresh_client.post(URL, _data(username="alpha1234", email="new@example.org"))
    reused = reused_client.post(URL, _data(username="bravo5678", email=typed))

    assert _visible(reused) == _visible(fresh) == (302, reverse("dashboard"), None)
    seen_fresh = _as_seen_by_the_new_learner(fresh_client, "alpha1234", "new@example.org")
    seen_reused = _as_seen_by_the_new_learner(reused_client, "bravo5678", typed)
    assert "We have sent a message to ADDRESS" in seen_fresh
    assert seen_reused == seen_fresh
    assert User.objects.get(username="bravo5678").email == ""
    owner.refresh_from_db()
    assert owner.email == "taken@example.org"


@pytest.mark.django_db
def test_signup_with_a_taken_email_mails_its_owner_a_reset_link_instead():
    UserFactory(username="taken", email="taken@example.org")
    Client().post(URL, _data(username="copycat", email="Taken@example.org"))
    [message] = mail.outbox
    assert message.to == ["taken@example.org"]
    assert "signed up" in message.subject
    assert '"taken"' in message.body and "copycat" not in message.body
    reset_page = Client().get(_link(message, "/accounts/password/reset/"), follow=True)
    assert reset_page.status_code == 200
    assert b'name="new_password1"' in reset_page.content


@pytest.mark.django_db
def test_signup_with_a_new_email_mails_a_link_that_adds_it(client):
    client.post(URL, _data())
    [message] = mail.outbox
    assert message.to == ["grace@example.org"]
    link = _link(message, "/accounts/email/confirm/")
    user = User.objects.get(username="grace")
    page = Client().get(link)
    assert page.status_code == 200 and "Add this address" in page.content.decode()
    user.refresh_from_db()
    assert user.email == "", "GET only asks"
    done = Client().post(link)
    assert done.status_code == 200 and "belongs to your account" in done.content.decode()
    user.refresh_from_db()
    assert user.email == "grace@example.org"


@pytest.mark.django_db
def test_confirm_link_for_an_address_taken_meanwhile_changes_nothing(client):
    client.post(URL, _data())
    link = _link(mail.outbox[0], "/accounts/email/confirm/")
    UserFactory(email="GRACE@example.org")
    response = Client().post(link)
    assert response.status_code == 409
    assert "now belongs to another account" in response.content.decode()
    assert User.objects.get(username="grace").email == ""


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["nonsense", "WzEsImFAYi5jIl0:1tTq:abc"])
def test_confirm_link_that_is_not_ours_is_refused_clearly(client, token):
    response = client.post(reverse("accounts:email_confirm", args=[token]))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


@pytest.mark.django_db
def test_confirm_link_refuses_other_methods(client):
    assert client.put(reverse("accounts:email_confirm", args=["x"])).status_code == 405


@pytest.mark.django_db
def test_signup_with_a_taken_email_over_htmx_answers_as_for_a_new_one(htmx_headers):
    UserFactory(email="taken@example.org")
    response = Client().post(URL, _data(email="taken@example.org"), headers=htmx_headers)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("dashboard")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_bad_signup_with_a_taken_email_mails_nobody_and_says_nothing_of_it(client):
    UserFactory(email="taken@example.org")
    response = client.post(URL, _data(email="taken@example.org", password2="nope"))
    assert response.status_code == 400
    assert "already exists" not in response.content.decode()
    assert mail.outbox == []
