import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import xp_award
from challenges.submissions import challenge_submit
from classroom.models import Assignment, ChallengeSet, Membership, StudyGroup
from classroom.services import assignment_create, set_save
from tests.factories import ChallengeFactory, QuestionFactory, TopicFactory, UserFactory, group_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_index_empty_state_and_forms(client, owner):
    body = client.get(reverse("classroom:index")).content.decode()
    assert "not in a study group yet" in body and "Join a group" in body and "Start a group" in body


def test_create_group_makes_the_creator_owner(client, owner):
    response = client.post(
        reverse("classroom:create"), {"name": "Evening class", "description": ""}
    )
    group = StudyGroup.objects.get()
    assert response["Location"] == reverse("classroom:detail", args=[group.pk])
    assert Membership.objects.get(group=group, user=owner).role == "owner"


def test_create_group_without_a_name_is_refused(client, owner):
    response = client.post(reverse("classroom:create"), {"name": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not StudyGroup.objects.exists()


def test_join_by_code_and_by_link(client):
    group = group_with()
    learner = UserFactory()
    client.force_login(learner)
    confirm = client.get(reverse("classroom:join_link", args=[group.join_code]))
    assert confirm.status_code == 200 and group.join_code in confirm.content.decode()
    assert not Membership.objects.filter(user=learner).exists()  # a link alone changes nothing
    response = client.post(
        reverse("classroom:join"), {"join_code": group.join_code.lower()}, follow=True
    )
    assert f"Welcome to {group.name}" in response.content.decode()
    assert Membership.objects.filter(user=learner, group=group, role="member").exists()


def test_wrong_join_code_says_so(client, owner):
    response = client.post(reverse("classroom:join"), {"join_code": "NOPE1234"}, follow=True)
    assert "No group has that join code" in response.content.decode()


def test_detail_shows_join_code_to_instructors_only(client, owner):
    member = UserFactory()
    group = group_with(owner, members=[member])
    assert (
        group.join_code in client.get(reverse("classroom:detail", args=[group.pk])).content.decode()
    )
    client.force_login(member)
    assert (
        group.join_code
        not in client.get(reverse("classroom:detail", args=[group.pk])).content.decode()
    )


def test_group_board_fragment_for_htmx(client, owner, htmx_headers):
    group = group_with(owner)
    xp_award(user=owner, source="quiz:a", points=5)
    body = client.get(
        reverse("classroom:detail", args=[group.pk]) + "?period=week", headers=htmx_headers
    ).content.decode()
    assert body.lstrip().startswith('<div id="board"') and "(you)" in body


def test_assign_with_a_past_due_date_is_refused(client, owner):
    group = group_with(owner)
    ChallengeFactory(slug="x")
    challenge_set = set_save(author=owner, title="S", description="", items=["challenge:x"])
    past = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("classroom:assign", args=[group.pk]),
        {"challenge_set": challenge_set.pk, "due_at": past},
        follow=True,
    )
    assert "That date has passed" in response.content.decode()
    assert not Assignment.objects.exists()


def test_assign_someone_elses_private_set_is_refused(client, owner):
    group = group_with(owner)
    ChallengeFactory(slug="x")
    private = set_save(author=UserFactory(), title="Private", description="", items=["challenge:x"])
    response = client.post(
        reverse("classroom:assign", args=[group.pk]), {"challenge_set": private.pk}, follow=True
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.exists()


def test_matrix_page_sorting_fragment_and_csv(client, owner, htmx_headers):
    solver = UserFactory(display_name="Zed")
    group = group_with(owner, members=[solver, UserFactory(display_name="Amy")])
    challenge = ChallengeFactory(slug="fetch", title="Fetch")
    challenge_set = set_save(author=owner, title="S", description="", items=["challenge:fetch"])
    assignment = assignment_create(actor=owner, group=group, challenge_set=challenge_set)
    challenge_submit(
        user=solver, challenge=challenge, data=b"GET /books/1 HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    url = reverse("classroom:matrix", args=[group.pk, assignment.pk])
    by_name = client.get(url).content.decode()
    assert by_name.index("Amy") < by_name.index("Zed") and "✓ Solved" in by_name
    by_progress = client.get(url + "?sort=progress", headers=htmx_headers).content.decode()
    assert by_progress.lstrip().startswith('<div id="matrix"') and by_progress.index(
        "Zed"
    ) < by_progress.index("Amy")
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("classroom:matrix_csv", args=[group.pk, assignment.pk])
                ).content.decode()
            )
        )
    )
    assert rows[0] == ["username", "name", "Fetch", "done"]
    assert [row[1:] for row in rows[1:]] == [["Amy", "Not started", "0"], ["Zed", "Solved", "1"]]
    cell = client.get(
        reverse(
            "classroom:cell",
            args=[group.pk, assignment.pk, solver.username, challenge_set.items.get().pk],
        )
    )
    assert "HTTP/1.1 200 OK" in cell.content.decode()


def test_cell_for_someone_outside_the_group_is_404(client, owner):
    group = group_with(owner)
    ChallengeFactory(slug="x")
    challenge_set = set_save(author=owner, title="S", description="", items=["challenge:x"])
    assignment = assignment_create(actor=owner, group=group, challenge_set=challenge_set)
    outsider = UserFactory()
    url = reverse(
        "classroom:cell",
        args=[group.pk, assignment.pk, outsider.username, challenge_set.items.get().pk],
    )
    assert client.get(url).status_code == 404


def test_set_create_edit_and_bad_input(client, owner):
    ChallengeFactory(slug="fetch")
    QuestionFactory(topic=TopicFactory(slug="methods", title="Methods"))
    bad = client.post(reverse("classroom:set_create"), {"title": "Empty"})
    assert (
        bad.status_code == 400
        and "Choose at least one challenge or quiz topic" in bad.content.decode()
    )
    client.post(
        reverse("classroom:set_create"),
        {"title": "Mine", "items": ["challenge:fetch", "quiz:methods"]},
    )
    challenge_set = ChallengeSet.objects.get(title="Mine")
    assert challenge_set.items.count() == 2
    client.post(
        reverse("classroom:set_edit", args=[challenge_set.pk]),
        {"title": "Mine v2", "items": ["quiz:methods"]},
    )
    challenge_set.refresh_from_db()
    assert challenge_set.title == "Mine v2" and challenge_set.items.count() == 1
    client.force_login(UserFactory())
    assert (
        client.get(reverse("classroom:set_edit", args=[challenge_set.pk])).status_code == 404
    )  # private
    assert client.delete(reverse("classroom:set_create")).status_code == 405


def test_global_leaderboard_periods_and_fragment(client, owner, htmx_headers):
    xp_award(user=owner, source="quiz:a", points=5)
    page = client.get(reverse("classroom:leaderboard")).content.decode()
    assert "Your rank: <strong>1</strong>" in page
    fragment = client.get(
        reverse("classroom:leaderboard") + "?period=week", headers=htmx_headers
    ).content.decode()
    assert fragment.lstrip().startswith('<section id="board"') and "this week" in fragment
    assert client.get(reverse("classroom:leaderboard") + "?period=bogus").status_code == 200


def test_members_see_their_own_progress_on_each_assignment(client):
    learner = UserFactory()
    group = group_with(members=[learner])
    challenge = ChallengeFactory(slug="fetch", title="Fetch")
    ChallengeFactory(slug="other", title="Other")
    challenge_set = set_save(
        author=group.owner, title="S", description="", items=["challenge:fetch", "challenge:other"]
    )
    assignment_create(
        actor=group.owner,
        group=group,
        challenge_set=challenge_set,
        due_at=timezone.now() + timedelta(days=2),
    )
    challenge_submit(
        user=learner, challenge=challenge, data=b"GET /books/1 HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    client.force_login(learner)
    body = client.get(reverse("classroom:detail", args=[group.pk])).content.decode()
    assert (
        "1 of 2 done" in body and "Fetch</a>: Solved" in body and "Other</a>: Not started" in body
    )


def test_a_members_group_page_reads_progress_in_the_same_queries_for_any_number_of_assignments(
    client,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    learner = UserFactory()
    group = group_with(members=[learner])
    ChallengeFactory(slug="fetch", title="Fetch")
    QuestionFactory(topic=TopicFactory(slug="methods", title="Methods"))
    client.force_login(learner)

    def assign(count: int) -> None:
        for number in range(count):
            challenge_set = set_save(
                author=group.owner,
                title=f"Set {Assignment.objects.count()} {number}",
                description="",
                items=["challenge:fetch", "quiz:methods"],
            )
            assignment_create(actor=group.owner, group=group, challenge_set=challenge_set)

    def queries() -> int:
        client.get(reverse("classroom:detail", args=[group.pk]))  # warm the header's entry
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("classroom:detail", args=[group.pk])).status_code == 200
        return len(captured)

    assign(1)
    with_one = queries()
    assign(5)
    assert queries() == with_one
    page = client.get(reverse("classroom:detail", args=[group.pk])).content.decode()
    assert page.count("0 of 2 done") == 6
