"""The header's per-learner cache and the cached sessions.

The header (today's XP against the goal, new badges) is read from the
learner's own cache entry (accounts.learner_version): every XP or badge write
must show on the next page, and one learner's entry is never another's.
Sessions live in the cache with the database as the record.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.learner_version import learner_cached, learner_version_bump
from accounts.models import XpAward
from accounts.services import badge_award, xp_award
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/challenges/sandbox/"  # a signed-in page whose body is the header and a reference


def _goal(client) -> str:
    body = client.get(PAGE).content.decode()
    return body[body.index('<div id="daily-goal"') :].split("</div>", 1)[0]


def test_an_xp_award_shows_in_the_header_on_the_next_page(client):
    learner = UserFactory(daily_goal_xp=30)
    client.force_login(learner)
    assert "0<span" in _goal(client)
    xp_award(user=learner, source="test:one", points=12)
    assert "12<span" in _goal(client)
    xp_award(user=learner, source="test:two", points=20)
    assert "Goal met" in _goal(client)


def test_a_deleted_award_leaves_the_header_too(client):
    learner = UserFactory(daily_goal_xp=30)
    client.force_login(learner)
    xp_award(user=learner, source="test:one", points=12)
    assert "12<span" in _goal(client)
    XpAward.objects.filter(user=learner).delete()  # a queryset delete sends post_delete per row
    assert "0<span" in _goal(client)


def test_a_new_badge_is_announced_once_after_the_header_was_cached(client):
    learner = UserFactory()
    client.force_login(learner)
    assert "New badge" not in client.get(PAGE).content.decode()  # the entry says: no badge
    badge_award(user=learner, badge="first-solve")
    assert "New badge" in client.get(PAGE).content.decode()
    assert "New badge" not in client.get(PAGE).content.decode()


def test_one_learners_header_is_never_shown_to_another(client):
    alice, bob = UserFactory(daily_goal_xp=50), UserFactory(daily_goal_xp=50)
    xp_award(user=alice, source="test:alice", points=17)
    badge_award(user=alice, badge="first-solve")
    for viewer, xp, badge in ((alice, "27<span", True), (bob, "0<span", False)):
        client.force_login(viewer)
        body = client.get(PAGE).content.decode()
        assert xp in body[body.index('<div id="daily-goal"') :].split("</div>", 1)[0]
        assert ("New badge" in body) == badge
    client.force_login(alice)
    assert "27<span" in _goal(client)


def test_an_entry_from_before_a_bump_is_rebuilt():
    built = []
    assert learner_cached(1, "probe", lambda: built.append(1) or "first") == "first"
    assert learner_cached(1, "probe", lambda: built.append(2) or "second") == "first"
    learner_version_bump(1)
    assert learner_cached(1, "probe", lambda: built.append(3) or "third") == "third"
    assert learner_cached(2, "probe", lambda: "other learner") == "other learner"
    assert built == [1, 3]


def test_a_lost_learner_version_never_revives_an_old_entry():
    learner_cached(1, "probe", lambda: "old")
    cache.delete("learner-version:1")  # evicted
    assert learner_cached(1, "probe", lambda: "new") == "new"


def test_a_flushed_cache_keeps_the_learner_signed_in(client):
    learner = UserFactory()
    client.force_login(learner)
    assert client.get(reverse("dashboard")).status_code == 200
    cache.clear()  # the session is read back from the database
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200 and response.context["user"] == learner


def test_a_signed_in_page_makes_two_cache_round_trips_session_then_header_and_version(client):
    """The session, then one read for the learner's header entry and the content version."""
    from django.core.cache import caches

    client.force_login(UserFactory())
    page = reverse("curriculum:path")  # its view reads the content cache (units) first
    assert client.get(page).status_code == 200  # warm: session, header entry, units
    backend, reads, inside = caches["default"], [], []
    get, get_many = backend.get, backend.get_many

    def one_get(key, *args, **kwargs):
        if not inside:  # the local-memory get_many calls get once per key: not a round trip
            reads.append(("get", key))
        return get(key, *args, **kwargs)

    def one_get_many(keys, *args, **kwargs):
        reads.append(("get_many", tuple(keys)))
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    backend.get, backend.get_many = one_get, one_get_many
    try:
        assert client.get(page).status_code == 200
    finally:
        del backend.get, backend.get_many
    assert [kind for kind, _ in reads] == ["get", "get_many"], reads
    assert reads[0][1].startswith("django.contrib.sessions.cached")
    assert "content-version" in reads[1][1]
