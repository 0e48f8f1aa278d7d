"""Instructors' tools: confirmations, earlier solves, the CSV's name, set order and filter,
bookmarkable tabs, the learner's item links, and the friendly 405 page."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import ChallengeSolve
from classroom.models import ChallengeSet, Membership
from classroom.selectors import progress_matrix
from classroom.services import assignment_create, set_save
from tests.factories import (
    ChallengeFactory,
    QuestionFactory,
    TopicFactory,
    UserFactory,
    group_with,
)

pytestmark = pytest.mark.django_db
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _assigned(owner, *, name="Tuesday class", title="First steps", members=()):
    group = group_with(owner, members=members)
    group.name = name
    group.save()
    ChallengeFactory(slug="fetch", title="Fetch")
    QuestionFactory(topic=TopicFactory(slug="methods", title="Methods"))
    challenge_set = set_save(
        author=owner, title=title, description="", items=["challenge:fetch", "quiz:methods"]
    )
    return group, assignment_create(actor=owner, group=group, challenge_set=challenge_set)


# --- "earlier" solves ---------------------------------------------------------------------


def _solve(user, slug, at):
    from challenges.models import Challenge

    ChallengeSolve.objects.create(
        user=user, challenge=Challenge.objects.get(slug=slug), points=20, solved_at=at
    )


def test_a_solve_from_before_the_assignment_is_marked_earlier(owner):
    learner = UserFactory()
    group, assignment = _assigned(owner, members=[learner])
    _solve(learner, "fetch", assignment.created_at - timedelta(days=3))
    [row] = progress_matrix(assignment).rows
    assert row.cells[0].label == "Solved earlier" and row.cells[0].earlier


def test_a_solve_from_before_the_learner_joined_is_marked_earlier(owner):
    learner = UserFactory()
    group, assignment = _assigned(owner, members=[learner])
    Membership.objects.filter(user=learner).update(joined_at=timezone.now() + timedelta(days=1))
    _solve(learner, "fetch", timezone.now() + timedelta(hours=1))
    [row] = progress_matrix(assignment).rows
    assert row.cells[0].label == "Solved earlier"


def test_a_solve_after_joining_and_assigning_is_plain_solved(owner):
    learner = UserFactory()
    group, assignment = _assigned(owner, members=[learner])
    _solve(learner, "fetch", timezone.now() + timedelta(minutes=1))
    [row] = progress_matrix(assignment).rows
    assert row.cells[0].label == "Solved" and not row.cells[0].earlier


def test_matrix_and_csv_say_earlier_in_words(client, owner):
    learner = UserFactory(display_name="Early Eve")
    group, assignment = _assigned(owner, members=[learner])
    _solve(learner, "fetch", assignment.created_at - timedelta(days=3))
    page = client.get(reverse("classroom:matrix", args=[group.pk, assignment.pk])).content.decode()
    assert "⟲ Solved earlier" in page and "cell-earlier" in page
    assert "before they joined the group or before the set was assigned" in page
    body = client.get(reverse("classroom:matrix_csv", args=[group.pk, assignment.pk]))
    rows = list(csv.reader(io.StringIO(body.content.decode())))
    assert rows[1][1:] == ["Early Eve", "Solved earlier", "Not started", "1"]


def test_the_learners_own_list_marks_earlier_solves(client, owner):
    learner = UserFactory()
    group, assignment = _assigned(owner, members=[learner])
    _solve(learner, "fetch", assignment.created_at - timedelta(days=3))
    client.force_login(learner)
    page = client.get(reverse("classroom:detail", args=[group.pk])).content.decode()
    assert "Fetch</a>: Solved earlier" in page


# --- CSV file name ------------------------------------------------------------------------


def test_csv_file_name_has_the_group_the_set_and_the_date(client, owner):
    group, assignment = _assigned(owner, name="Tuesday class: HTTP!", title="First steps")
    response = client.get(reverse("classroom:matrix_csv", args=[group.pk, assignment.pk]))
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="tuesday-class-http-first-steps-{today}.csv"'
    )


def test_csv_of_a_group_with_an_unsluggable_name_still_has_a_name(client, owner):
    group, assignment = _assigned(owner, name="¿¿", title="!!")
    response = client.get(reverse("classroom:matrix_csv", args=[group.pk, assignment.pk]))
    assert 'filename="group-set-' in response["Content-Disposition"]


def test_csv_is_for_instructors_only(client, owner):
    member = UserFactory()
    group, assignment = _assigned(owner, members=[member])
    client.force_login(member)
    url = reverse("classroom:matrix_csv", args=[group.pk, assignment.pk])
    assert client.get(url).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.post(url).status_code == 405


# --- confirmations ------------------------------------------------------------------------


def test_destructive_buttons_ask_first(client, owner):
    group, assignment = _assigned(owner, members=[UserFactory(display_name="Mo")])
    page = client.get(reverse("classroom:detail", args=[group.pk])).content.decode()
    assert 'data-confirm-title="Remove this assignment?"' in page
    assert 'data-confirm-title="Remove Mo?"' in page
    assert 'data-confirm-title="Make a new join code?"' in page
    assert 'id="confirm-dialog"' in page and "js/confirm.js" in page


# --- the learner's list -------------------------------------------------------------------


def test_a_learner_can_open_every_item_quiz_topics_included(client, owner):
    learner = UserFactory()
    group, _ = _assigned(owner, members=[learner])
    QuestionFactory(topic=TopicFactory(slug="methods"))
    client.force_login(learner)
    page = client.get(reverse("classroom:detail", args=[group.pk])).content.decode()
    assert f'href="{reverse("challenges:detail", args=["fetch"])}"' in page
    assert f'action="{reverse("quiz:start")}"' in page
    assert 'name="topic" value="methods"' in page
    started = client.post(reverse("quiz:start"), {"topic": "methods"})
    assert started.status_code == 302 and "/quiz/runs/" in started["Location"]


# --- bookmarkable tabs --------------------------------------------------------------------


def test_tabs_push_their_address(client, owner):
    group, assignment = _assigned(owner)
    detail = client.get(reverse("classroom:detail", args=[group.pk])).content.decode()
    assert 'href="?period=week" hx-get="?period=week"' in detail
    assert detail.count('hx-push-url="true"') >= 2
    matrix = client.get(reverse("classroom:matrix", args=[group.pk, assignment.pk]))
    assert 'hx-push-url="true"' in matrix.content.decode()


@pytest.mark.parametrize("which", ["detail", "leaderboard", "matrix"])
def test_back_to_a_pushed_tab_gets_the_whole_page(client, owner, htmx_headers, which):
    group, assignment = _assigned(owner)
    url = {
        "detail": reverse("classroom:detail", args=[group.pk]) + "?period=week",
        "leaderboard": reverse("classroom:leaderboard") + "?period=week",
        "matrix": reverse("classroom:matrix", args=[group.pk, assignment.pk]) + "?sort=progress",
    }[which]
    fragment = client.get(url, headers=htmx_headers)
    assert "<!doctype html>" not in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]
    restored = client.get(url, headers=HISTORY_RESTORE)
    assert restored.content.decode().startswith("<!doctype html>")


# --- set authoring: order and filter ------------------------------------------------------


def test_the_order_of_the_ticked_items_is_the_order_of_the_set(client, owner):
    for slug in ("a", "b", "c"):
        ChallengeFactory(slug=slug, title=slug.upper())
    client.post(
        reverse("classroom:set_create"),
        {"title": "Ordered", "items": ["challenge:c", "challenge:a", "challenge:b"]},
    )
    challenge_set = ChallengeSet.objects.get(title="Ordered")
    assert [i.challenge.slug for i in challenge_set.items.all()] == ["c", "a", "b"]
    page = client.get(reverse("classroom:set_edit", args=[challenge_set.pk])).content.decode()
    ordered = page[page.index("data-order ") : page.index("</ol>")]
    assert ordered.index('value="challenge:c"') < ordered.index('value="challenge:a"')
    assert ordered.index('value="challenge:a"') < ordered.index('value="challenge:b"')


def test_a_refused_set_keeps_the_order_it_was_given(client, owner):
    for slug in ("a", "b"):
        ChallengeFactory(slug=slug, title=slug.upper())
    response = client.post(
        reverse("classroom:set_create"), {"title": "", "items": ["challenge:b", "challenge:a"]}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required" in page
    ordered = page[page.index("data-order ") : page.index("</ol>")]
    assert ordered.index('value="challenge:b"') < ordered.index('value="challenge:a"')
    assert not ChallengeSet.objects.exists()


def test_the_set_form_has_a_labelled_filter_and_shows_each_item_once(client, owner):
    ChallengeFactory(slug="a", title="Alpha")
    QuestionFactory(topic=TopicFactory(slug="methods", title="Methods"))
    set_save(author=owner, title="S", description="", items=["challenge:a"])
    challenge_set = ChallengeSet.objects.get()
    page = client.get(reverse("classroom:set_edit", args=[challenge_set.pk])).content.decode()
    assert '<label for="item-filter">Filter the items to add</label>' in page
    assert page.count('value="challenge:a"') == 1 and page.count('value="quiz:methods"') == 1
    assert "js/classroom.js" in page


def test_someone_elses_set_cannot_be_reordered(client, owner):
    ChallengeFactory(slug="a")
    ChallengeFactory(slug="b")
    challenge_set = set_save(
        author=UserFactory(), title="Theirs", description="", items=["challenge:a", "challenge:b"]
    )
    challenge_set.slug = "theirs"  # ready-made, so visible, but not the viewer's
    challenge_set.save()
    url = reverse("classroom:set_edit", args=[challenge_set.pk])
    assert (
        client.post(url, {"title": "T", "items": ["challenge:b", "challenge:a"]}).status_code == 403
    )
    assert [i.challenge.slug for i in challenge_set.items.all()] == ["a", "b"]


# --- 405 page -----------------------------------------------------------------------------


@pytest.mark.parametrize("logged_in", [True, False])
def test_get_on_a_post_only_page_explains_itself(client, logged_in):
    if logged_in:
        client.force_login(UserFactory())
    response = client.get(reverse("classroom:create"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "This address only takes a form" in page and "<code>POST</code>" in page
    back = reverse("dashboard") if logged_in else reverse("home")
    assert f'href="{back}"' in page


def test_post_on_a_get_only_page_keeps_its_allow_header(client, owner):
    response = client.post(reverse("dashboard"))
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert "<code>GET</code>" in response.content.decode()


def test_htmx_gets_the_same_405(client, owner, htmx_headers):
    response = client.get(reverse("classroom:create"), headers=htmx_headers)
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_a_404_is_a_page_of_the_site(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "There is nothing at this address" in response.content.decode()


def test_the_cell_marks_attempts_from_before_the_assignment(client, owner):
    from challenges.models import Challenge
    from challenges.submissions import challenge_submit

    learner = UserFactory(display_name="Early Eve")
    group, assignment = _assigned(owner, members=[learner])
    challenge = Challenge.objects.get(slug="fetch")
    challenge_submit(user=learner, challenge=challenge, data=b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    Membership.objects.filter(user=learner).update(joined_at=timezone.now() + timedelta(hours=1))
    item = assignment.challenge_set.items.get(challenge=challenge)
    url = reverse("classroom:cell", args=[group.pk, assignment.pk, learner.username, item.pk])
    page = client.get(url).content.decode()
    assert "(earlier: before Early Eve had this assignment)" in page


def test_a_join_address_without_a_code_says_which_methods_it_takes(client, owner):
    response = client.get(reverse("classroom:join"))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert 'name="join_code"' in response.content.decode()
    link = client.put(reverse("classroom:join_link", args=["ABCDEFGH"]))
    assert link.status_code == 405 and link["Allow"] == "GET, POST"
