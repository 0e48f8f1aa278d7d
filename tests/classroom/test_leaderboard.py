import pytest
from django.urls import reverse

from accounts.services import xp_award
from tests.factories import UserFactory

URL = reverse("classroom:leaderboard")


@pytest.mark.django_db
def test_leaderboard_empty_state(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Nobody has earned XP yet" in response.content.decode()


@pytest.mark.django_db
def test_leaderboard_orders_by_xp_and_hides_learners_who_opted_out(client):
    top, second, hidden = (
        UserFactory(display_name="Top"),
        UserFactory(display_name="Second"),
        UserFactory(display_name="Hidden", show_on_leaderboards=False),
    )
    xp_award(user=top, source="quiz:a", points=30)
    xp_award(user=second, source="quiz:a", points=10)
    xp_award(user=hidden, source="quiz:a", points=99)
    body = client.get(URL).content.decode()
    assert body.index("Top") < body.index("Second")
    assert "Hidden" not in body


@pytest.mark.django_db
def test_leaderboard_marks_the_viewer(client):
    me = UserFactory(display_name="Me")
    xp_award(user=me, source="quiz:a", points=5)
    client.force_login(me)
    assert "Me (you)" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_leaderboard_refuses_post(client):
    assert client.post(URL).status_code == 405


@pytest.mark.django_db
def test_groups_page_needs_login(client):
    url = reverse("classroom:index")
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200
