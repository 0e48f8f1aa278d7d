"""The daily goal: picked on the profile, shown in the header as today's XP in the learner's zone."""

import re
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.urls import reverse

from accounts.selectors import DailyGoal, xp_today
from accounts.services import xp_award
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
SETTINGS = {"display_name": "Ada", "time_zone": "UTC", "show_on_leaderboards": "on"}


def header(client) -> str:
    """The goal's part of the header on the learner's profile page."""
    body = client.get(PROFILE).content.decode()
    match = re.search(r'<div id="daily-goal".*?</div>', body, re.S)
    return re.sub(r"\s+", " ", match[0]) if match else ""


def test_the_learner_picks_a_goal_from_the_list(client):
    learner = UserFactory()
    client.force_login(learner)
    response = client.post(PROFILE, {**SETTINGS, "daily_goal_xp": "50"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.daily_goal_xp == 50
    page = client.get(PROFILE).content.decode()
    assert '<option value="50" selected>Intense: 50 XP a day</option>' in page


@pytest.mark.parametrize("given", ["40", "0", "-10", "lots", "100000"])
def test_a_goal_not_in_the_list_is_refused_inline_and_nothing_changes(client, given):
    learner = UserFactory(display_name="Before")
    client.force_login(learner)
    response = client.post(PROFILE, {**SETTINGS, "daily_goal_xp": given})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_daily_goal_xp_error"' in body
    assert "Choose one of the goals in the list: 10, 20, 30, 50 or 100 XP a day." in body
    learner.refresh_from_db()
    assert (learner.daily_goal_xp, learner.display_name) == (30, "Before")


def test_a_form_sent_without_a_goal_keeps_the_one_set(client):
    learner = UserFactory(daily_goal_xp=100)
    client.force_login(learner)
    assert client.post(PROFILE, SETTINGS).status_code == 302
    learner.refresh_from_db()
    assert learner.daily_goal_xp == 100


def test_a_goal_set_outside_the_list_stays_selected_and_saves_unchanged(client):
    learner = UserFactory(daily_goal_xp=75)
    client.force_login(learner)
    assert '<option value="75" selected>' in client.get(PROFILE).content.decode()
    assert client.post(PROFILE, {**SETTINGS, "daily_goal_xp": "75"}).status_code == 302
    learner.refresh_from_db()
    assert learner.daily_goal_xp == 75


def test_the_header_shows_todays_xp_against_the_goal_in_text_and_a_bar(client):
    learner = UserFactory(daily_goal_xp=30)
    xp_award(user=learner, source="quiz:one", points=12)
    client.force_login(learner)
    shown = header(client)
    assert (
        '12<span aria-hidden="true"> / </span><span class="visually-hidden"> of </span>30 XP today'
        in shown
    )
    assert '<progress class="daily-goal-bar" max="30" value="12"' in shown
    assert 'aria-label="Today\'s XP towards your daily goal">40%</progress>' in shown
    assert "Goal met" not in shown


def test_a_met_goal_says_so_and_the_bar_stops_full(client):
    learner = UserFactory(daily_goal_xp=10)
    xp_award(user=learner, source="quiz:one", points=15)
    client.force_login(learner)
    shown = header(client)
    assert "Goal met" in shown and "15 of 10 XP today" in shown
    assert 'class="daily-goal daily-goal-met"' in shown
    assert 'max="10" value="10"' in shown


def test_today_starts_at_midnight_in_the_learners_zone_not_in_utc():
    evening, night = (
        datetime(2026, 12, 2, 23, 30, tzinfo=UTC),
        datetime(2026, 12, 3, 0, 30, tzinfo=UTC),
    )
    zones = ("Asia/Tokyo", "America/New_York", "UTC")
    tokyo, new_york, utc = (UserFactory(time_zone=zone) for zone in zones)
    for learner in (tokyo, new_york, utc):
        xp_award(user=learner, source="quiz:evening", points=20, at=evening)
        xp_award(user=learner, source="quiz:night", points=5, at=night)

    def today(learner, now) -> int:
        with mock.patch("django.utils.timezone.now", return_value=now):
            return xp_today(learner)

    # At 01:00 UTC on 3 Dec both awards are today in Tokyo (08:30, 09:30 on 3 Dec) and
    # New York (18:30, 19:30 on 2 Dec); in UTC the first was yesterday.
    one_am = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    assert (today(tokyo, one_am), today(new_york, one_am), today(utc, one_am)) == (25, 25, 5)
    # 23:59 in Tokyo is still 3 Dec there; a minute later its day starts from nothing.
    assert today(tokyo, datetime(2026, 12, 3, 14, 59, tzinfo=UTC)) == 25
    assert today(tokyo, datetime(2026, 12, 3, 15, 0, tzinfo=UTC)) == 0
    # New York's 2 Dec ends at 05:00 UTC on 3 Dec.
    assert today(new_york, datetime(2026, 12, 3, 4, 59, tzinfo=UTC)) == 25
    assert today(new_york, datetime(2026, 12, 3, 5, 0, tzinfo=UTC)) == 0


def test_other_learners_xp_does_not_count():
    learner, other = UserFactory(), UserFactory()
    xp_award(user=other, source="quiz:one", points=40)
    assert DailyGoal(learner).xp == 0 and not DailyGoal(learner).met


def test_a_visitor_sees_no_goal(client):
    body = client.get(reverse("quiz:index")).content.decode()
    assert "daily-goal" not in body and "XP today" not in body


def test_saving_a_goal_with_htmx_refreshes_the_header_in_the_same_answer(client, htmx_headers):
    learner = UserFactory(daily_goal_xp=10)
    xp_award(user=learner, source="quiz:one", points=15)
    client.force_login(learner)
    response = client.post(PROFILE, {**SETTINGS, "daily_goal_xp": "20"}, headers=htmx_headers)
    body = re.sub(r"\s+", " ", response.content.decode())
    assert '<div id="daily-goal" class="daily-goal" hx-swap-oob="true">' in body
    assert "{#" not in body and "#}" not in body
    assert (
        '15<span aria-hidden="true"> / </span><span class="visually-hidden"> of </span>20 XP today'
        in body
    )


def test_the_sum_runs_once_and_only_when_the_goal_is_drawn(client, htmx_headers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def sums(response_of, status=200) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert response_of().status_code == status
        return sum('SUM("accounts_xpaward"."points")' in q["sql"] for q in captured)

    client.force_login(UserFactory())
    assert sums(lambda: client.get(PROFILE)) == 1
    refused = lambda: client.post(  # noqa: E731
        PROFILE, {**SETTINGS, "daily_goal_xp": "7"}, headers=htmx_headers
    )
    assert sums(refused, status=400) == 0  # the form's fragment alone: no header, no sum
