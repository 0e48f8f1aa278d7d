import pytest
from django.urls import reverse

from accounts.services import xp_award
from tests.factories import QuestionFactory, TopicFactory, UserFactory

DASHBOARD = reverse("dashboard")
PROFILE = reverse("accounts:profile")


@pytest.mark.django_db
def test_visitor_is_redirected_from_dashboard_to_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={DASHBOARD}"


@pytest.mark.django_db
def test_dashboard_shows_empty_states_pointing_at_quiz_and_challenges(client):
    client.force_login(UserFactory(display_name="Linus"))
    body = client.get(DASHBOARD).content.decode()
    assert "Hello, Linus" in body
    assert "Nothing yet" in body
    assert reverse("quiz:index") in body and reverse("challenges:index") in body


@pytest.mark.django_db
def test_dashboard_shows_xp_and_recent_awards(client):
    user = UserFactory()
    QuestionFactory(slug="codes-created", topic=TopicFactory(slug="codes", title="Status codes"))
    xp_award(user=user, source="quiz:codes-created", points=10)
    client.force_login(user)
    body = client.get(DASHBOARD).content.decode()
    assert "+10 XP</strong> for a right answer in the Status codes quiz" in body
    assert "quiz:codes-created" not in body
    assert "Level 1" in body and "10 XP · 90 to level 2" in body


@pytest.mark.django_db
def test_dashboard_refuses_post(client):
    client.force_login(UserFactory())
    assert client.post(DASHBOARD).status_code == 405


@pytest.mark.django_db
def test_home_shows_landing_to_visitors_and_sends_learners_to_dashboard(client):
    landing = client.get(reverse("home"))
    assert landing.status_code == 200
    assert b"Create a free account" in landing.content
    client.force_login(UserFactory())
    assert client.get(reverse("home"))["Location"] == DASHBOARD


@pytest.mark.django_db
def test_profile_update_saves_settings(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        PROFILE,
        {"display_name": "Ada L.", "time_zone": "Europe/London", "show_on_leaderboards": ""},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.time_zone, user.show_on_leaderboards) == (
        "Ada L.",
        "Europe/London",
        False,
    )


@pytest.mark.django_db
def test_profile_rejects_unknown_time_zone_and_changes_nothing(client):
    user = UserFactory(time_zone="UTC")
    client.force_login(user)
    response = client.post(
        PROFILE, {"display_name": "X", "time_zone": "Mars/Olympus", "show_on_leaderboards": "on"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "UTC" and user.display_name != "X"


@pytest.mark.django_db
def test_profile_htmx_post_returns_the_form_fragment_with_confirmation(client, htmx_headers):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        PROFILE,
        {"display_name": "Neo", "time_zone": "Asia/Tokyo", "show_on_leaderboards": "on"},
        headers=htmx_headers,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="profile-form"')
    assert "Your settings are saved." in body
    user.refresh_from_db()
    assert user.time_zone == "Asia/Tokyo"


@pytest.mark.django_db
def test_profile_needs_login_and_refuses_delete(client):
    assert client.get(PROFILE).status_code == 302
    client.force_login(UserFactory())
    assert client.delete(PROFILE).status_code == 405


@pytest.mark.django_db
def test_profile_shows_the_learners_own_sandbox_key(client):
    user = UserFactory()
    client.force_login(user)
    assert user.sandbox_key in client.get(PROFILE).content.decode()


@pytest.mark.django_db
def test_dashboard_shows_streak_badges_chart_and_assignments(client):
    from accounts.services import activity_record, badge_award

    user = UserFactory()
    activity_record(user=user)
    badge_award(user=user, badge="first-solve")
    client.force_login(user)
    body = client.get(DASHBOARD).content.decode()
    assert "1 day</span>" in body and "streak (best 1)" in body
    assert "New badge: First solve." in body  # announced once...
    assert (
        "New badge: First solve." not in client.get(DASHBOARD).content.decode()
    )  # ...then not again
    assert '<svg viewBox="0 0 600 120" class="chart" role="img"' in body
    assert "Earned" in body and "Not yet" in body


@pytest.mark.django_db
def test_my_data_export_is_json_of_my_own_progress(client):
    import json

    user, other = UserFactory(), UserFactory()
    xp_award(user=user, source="quiz:mine", points=10)
    xp_award(user=other, source="quiz:theirs", points=10)
    client.force_login(user)
    response = client.get(reverse("my_data"))
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert [award["source"] for award in document["xp_awards"]] == ["quiz:mine"]
    assert set(document) >= {
        "account",
        "progress",
        "badges",
        "quiz_answers",
        "challenge_submissions",
    }
    assert client.post(reverse("my_data")).status_code == 405
