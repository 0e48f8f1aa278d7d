"""Who may see and do what in a group, as a table of (view x person)."""

import pytest
from django.urls import reverse

from classroom.services import assignment_create, set_save
from tests.factories import ChallengeFactory, UserFactory, group_with

pytestmark = pytest.mark.django_db

PEOPLE = ("owner", "co_instructor", "member", "other_instructor", "stranger", "anonymous")
LOGIN = "login"


@pytest.fixture
def world():
    owner, co, member, victim = (
        UserFactory(),
        UserFactory(),
        UserFactory(username="member1"),
        UserFactory(username="victim"),
    )
    group = group_with(owner, instructors=[co], members=[member, victim])
    other_group = group_with()
    ChallengeFactory(slug="fetch")
    challenge_set = set_save(author=owner, title="Set", description="", items=["challenge:fetch"])
    assignment = assignment_create(actor=owner, group=group, challenge_set=challenge_set)
    people = {
        "owner": owner,
        "co_instructor": co,
        "member": member,
        "other_instructor": other_group.owner,
        "stranger": UserFactory(),
        "anonymous": None,
    }
    return {
        "group": group,
        "assignment": assignment,
        "item": challenge_set.items.get(),
        "people": people,
    }


def _urls(world):
    group, assignment, item = world["group"], world["assignment"], world["item"]
    g, a = group.pk, assignment.pk
    return {
        "detail": ("get", reverse("classroom:detail", args=[g]), {}),
        "matrix": ("get", reverse("classroom:matrix", args=[g, a]), {}),
        "csv": ("get", reverse("classroom:matrix_csv", args=[g, a]), {}),
        "cell": ("get", reverse("classroom:cell", args=[g, a, "victim", item.pk]), {}),
        "board": ("get", reverse("classroom:assignment_board", args=[g, a]), {}),
        "code": ("post", reverse("classroom:regenerate_code", args=[g]), {}),
        "remove": ("post", reverse("classroom:remove_member", args=[g, "victim"]), {}),
        "role": ("post", reverse("classroom:set_role", args=[g, "victim"]), {"role": "instructor"}),
        "unassign": ("post", reverse("classroom:unassign", args=[g, a]), {}),
    }


EXPECTED = {
    #            owner co   member other stranger anonymous
    "detail":   (200, 200, 200, 404, 404, LOGIN),
    "matrix":   (200, 200, 403, 404, 404, LOGIN),
    "csv":      (200, 200, 403, 404, 404, LOGIN),
    "cell":     (200, 200, 403, 404, 404, LOGIN),
    "board":    (200, 200, 200, 404, 404, LOGIN),
    "code":     (302, 302, 403, 404, 404, LOGIN),
    "remove":   (302, 403, 403, 404, 404, LOGIN),
    "role":     (302, 403, 403, 404, 404, LOGIN),
    "unassign": (302, 302, 403, 404, 404, LOGIN),
}  # fmt: skip


@pytest.mark.parametrize("view", EXPECTED)
@pytest.mark.parametrize("person", PEOPLE)
def test_permission_table(client, world, view, person):
    method, url, data = _urls(world)[view]
    user = world["people"][person]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data)
    expected = EXPECTED[view][PEOPLE.index(person)]
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:login")
        )
    else:
        assert response.status_code == expected, (view, person, response.status_code)


@pytest.mark.parametrize("view", ["detail", "matrix", "csv", "board"])
def test_get_views_refuse_post(client, world, view):
    client.force_login(world["people"]["owner"])
    _, url, _ = _urls(world)[view]
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("view", ["code", "remove", "role", "unassign"])
def test_post_views_refuse_get(client, world, view):
    client.force_login(world["people"]["owner"])
    _, url, _ = _urls(world)[view]
    assert client.get(url).status_code == 405
