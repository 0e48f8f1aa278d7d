"""Sign-up's time-zone list, the pending confirmation on the profile, and the header name."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.forms import canonical_zone, canonical_zones
from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SIGNUP = reverse("accounts:signup")
PROFILE = reverse("accounts:profile")
RESEND = reverse("accounts:email_resend")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _signup(client, **overrides):
    data = {
        "username": "grace",
        "email": "grace@example.org",
        "password1": "fetch-decode-execute-42",
        "password2": "fetch-decode-execute-42",
        **overrides,
    }
    return client.post(SIGNUP, data)


def test_the_zone_list_has_canonical_area_location_names_and_utc_only(client):
    page = client.get(SIGNUP).content.decode()
    select = re.search(r'<select name="time_zone".*?</select>', page, re.S).group(0)
    values = re.findall(r'<option value="([^"]*)"', select)
    assert "UTC" in values and "Europe/Paris" in values and "Asia/Kolkata" in values
    for legacy in ("Factory", "localtime", "Asia/Calcutta", "US/Eastern", "Etc/GMT+5", "GMT"):
        assert legacy not in values
    assert set(values) == set(canonical_zones())
    assert all(value == "UTC" or "/" in value for value in values)
    assert 'data-browser-zone="fill"' in page  # the browser still fills it in


@pytest.mark.parametrize(
    ("reported", "kept"),
    [("Asia/Calcutta", "Asia/Kolkata"), ("US/Eastern", "America/New_York"), ("Etc/UTC", "UTC")],
)
def test_an_alias_the_browser_reports_is_stored_as_its_current_name(client, reported, kept):
    assert canonical_zone(reported) == kept
    _signup(client, time_zone=reported)
    assert User.objects.get(username="grace").time_zone == kept


def test_an_unknown_zone_is_still_refused(client):
    response = _signup(client, time_zone="Mars/Olympus_Mons")
    assert response.status_code == 400 and not User.objects.exists()


def test_the_profile_says_a_confirmation_is_pending_and_can_send_it_again(client):
    _signup(client)
    page = client.get(PROFILE).content.decode()
    assert "Waiting for confirmation: we sent a link to grace@example.org" in page
    assert "Send it again" in page and f'action="{RESEND}"' in page
    assert len(mail.outbox) == 1
    again = client.post(RESEND, follow=True)
    assert "sent the message to grace@example.org again" in again.content.decode()
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["grace@example.org"]
    assert "/accounts/email/confirm/" in mail.outbox[1].body
    assert User.objects.get().email == ""  # sending again adds nothing by itself


def test_send_it_again_is_rate_limited_and_post_only(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "email-resend": (2, 3600)}
    _signup(client)
    assert client.get(RESEND).status_code == 405
    assert client.post(RESEND).status_code == 302
    assert client.post(RESEND).status_code == 302
    refused = client.post(RESEND)
    assert refused.status_code == 429 and "paused sending it" in refused.content.decode()
    assert len(mail.outbox) == 3  # the sign-up's, then two more


def test_send_it_again_with_nothing_pending_says_so_and_mails_nobody(client):
    client.force_login(UserFactory(email="ada@example.org"))
    response = client.post(RESEND, follow=True)
    assert "no address waiting for confirmation" in response.content.decode()
    assert not mail.outbox
    assert "Waiting for confirmation" not in client.get(PROFILE).content.decode()


def test_a_confirmed_address_ends_the_wait(client):
    _signup(client)
    link = re.search(r"https?://\S+(/accounts/email/confirm/\S+/)", mail.outbox[0].body).group(1)
    client.post(link)
    page = client.get(PROFILE).content.decode()
    assert "grace@example.org" in page and "Waiting for confirmation" not in page


def test_saving_a_display_name_over_htmx_updates_the_header_too(client, htmx_headers):
    client.force_login(UserFactory(username="grace", display_name=""))
    fragment = client.post(
        PROFILE,
        {"display_name": "Grace H", "time_zone": "UTC", "show_on_leaderboards": "on"},
        headers=htmx_headers,
    ).content.decode()
    assert '<span id="account-name" hx-swap-oob="true">Grace H</span>' in fragment
    assert '<span id="account-name">Grace H</span>' in client.get(PROFILE).content.decode()
