import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client, mailoutbox):
    user = UserFactory(email="ada@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "ada@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ada@example.org"]
    assert "Reset your HTTP School password" in message.subject
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(
        set_url, {"new_password1": "brand-new-secret-77", "new_password2": "brand-new-secret-77"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-secret-77")


@pytest.mark.django_db
def test_password_reset_for_unknown_email_sends_nothing_and_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password_change")
    bad = client.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "x-new-pass-123",
            "new_password2": "x-new-pass-123",
        },
    )
    assert bad.status_code == 200
    assert "Your old password was entered incorrectly" in bad.content.decode()
    good = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "x-new-pass-123",
            "new_password2": "x-new-pass-123",
        },
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("x-new-pass-123")


@pytest.mark.django_db
def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
