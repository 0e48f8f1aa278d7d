import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")


@pytest.mark.django_db
def test_login_with_right_password_lands_on_dashboard(client):
    user = UserFactory()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_login_with_wrong_password_says_so_and_stays_logged_out(client):
    user = UserFactory()
    response = client.post(LOGIN, {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_the_username_out_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(5):
        client.post(LOGIN, {"username": user.username, "password": "wrong"})
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "too many failed attempts" in response.content.decode().lower()
    assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_username_so_others_can_still_log_in(client):
    victim, other = UserFactory(), UserFactory()
    for _ in range(5):
        client.post(LOGIN, {"username": victim.username, "password": "wrong"})
    response = client.post(LOGIN, {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_four_failures_do_not_lock_out(client):
    user = UserFactory()
    for _ in range(4):
        client.post(LOGIN, {"username": user.username, "password": "wrong"})
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_logout_is_post_only_and_logs_out(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.django_db
def test_thirty_failures_across_usernames_from_one_address_pause_logins_from_it(client):
    """Password spraying: one guess at each of 30 usernames, then even a right password waits."""
    victims = [UserFactory() for _ in range(31)]
    for victim in victims[:30]:
        client.post(LOGIN, {"username": victim.username, "password": "Winter2026!"})
    response = client.post(LOGIN, {"username": victims[30].username, "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 15 * 60
    assert "_auth_user_id" not in client.session
    assert client.get(LOGIN).status_code == 200, "the page itself stays readable"
