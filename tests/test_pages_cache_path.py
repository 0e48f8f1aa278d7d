"""The path's content caches (units, lesson fragments, checkpoint titles) follow `load_content`,
and one learner's place on the path is never shown to another.

The units are loaded once per test with the banks, then a copy of the unit
files is edited and reloaded, as `load_content` would while the site runs.
"""

import io
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse

from challenges.models import Challenge
from curriculum.loader import CONTENT_DIR as CURRICULUM_CONTENT
from curriculum.loader import curriculum_path_load
from curriculum.models import Unit
from curriculum.selectors import active_units
from curriculum.services import unit_lesson_mark_read
from quiz.models import Question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIRST_UNIT = "01-request-and-response.yaml"
LESSON_LINE = "Every exchange on the web has the same shape."


@pytest.fixture
def units_dir(tmp_path, django_capture_on_commit_callbacks):
    """Everything loaded (as `load_content` leaves it), and a copy of the unit files to edit."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", stdout=io.StringIO())
    directory = tmp_path / "units"
    shutil.copytree(CURRICULUM_CONTENT / "units", directory)
    return directory


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path}; pick another line to edit"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _reload_path(directory, capture) -> None:
    with capture(execute=True) as callbacks:
        curriculum_path_load(
            question_slugs=set(Question.objects.values_list("slug", flat=True)),
            challenge_slugs=set(Challenge.objects.values_list("slug", flat=True)),
            directory=directory,
        )
    assert callbacks, "the path loader registered no content-version bump"


def test_a_reload_shows_the_new_unit_title_and_lesson_text(
    client, units_dir, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    unit_page = reverse("curriculum:unit", args=["request-and-response"])
    assert "A request and a response" in client.get(reverse("curriculum:path")).content.decode()
    assert LESSON_LINE in client.get(unit_page).content.decode()

    _edit(units_dir / FIRST_UNIT, "title: A request and a response", "title: Asking and answering")
    _edit(units_dir / FIRST_UNIT, LESSON_LINE, "A lesson line rewritten while the site ran.")
    _reload_path(units_dir, django_capture_on_commit_callbacks)

    path = client.get(reverse("curriculum:path")).content.decode()
    assert "Asking and answering" in path and "A request and a response" not in path
    unit = client.get(unit_page).content.decode()
    assert "A lesson line rewritten while the site ran." in unit and LESSON_LINE not in unit


def test_within_one_version_the_units_are_not_queried_again(units_dir, django_assert_num_queries):
    first = active_units()
    with django_assert_num_queries(0):
        assert active_units() is first
    assert [unit.number for unit in first] == list(
        Unit.objects.filter(is_active=True).order_by("number").values_list("number", flat=True)
    )


def test_a_reload_shows_a_checkpoint_challenges_new_title_on_the_unit_page(
    client, units_dir, django_capture_on_commit_callbacks, tmp_path
):
    from challenges.loader import CONTENT_DIR as CHALLENGE_CONTENT
    from challenges.loader import challenge_bank_load

    unit = Unit.objects.get(slug="request-and-response")
    slug = unit.checkpoint_challenges[0]
    old_title = Challenge.objects.get(slug=slug).title
    page = reverse("curriculum:unit", args=[unit.slug])
    client.force_login(UserFactory())
    assert f"Solve “{old_title}”" in client.get(page).content.decode()

    challenges = tmp_path / "challenges"
    shutil.copytree(CHALLENGE_CONTENT, challenges)
    [home] = [p for p in challenges.glob("*.yaml") if f"title: {old_title}\n" in p.read_text()]
    _edit(home, f"title: {old_title}\n", "title: A title from the reload\n")
    with django_capture_on_commit_callbacks(execute=True):
        challenge_bank_load(challenges)

    body = client.get(page).content.decode()
    assert "Solve “A title from the reload”" in body and f"Solve “{old_title}”" not in body


def test_each_learner_sees_only_their_own_steps_on_the_path_and_unit_page(client, units_dir):
    alice, bob = UserFactory(), UserFactory()
    unit = Unit.objects.get(slug="request-and-response")
    unit_lesson_mark_read(user=alice, unit=unit)
    page = reverse("curriculum:unit", args=[unit.slug])
    steps = {}
    for viewer in (alice, bob, alice):
        client.force_login(viewer)
        response = client.get(page)
        client.get(reverse("curriculum:path"))
        steps[viewer] = response.context["standing"].steps[0].done
        body = response.content.decode()
        assert ("✓ Read" in body) == (viewer == alice)
        path = client.get(reverse("curriculum:path")).content.decode()
        entry = path[path.index(f'href="{page}"') :].split("</li>", 1)[0]
        assert f"{1 if viewer == alice else 0} of " in entry  # the cached entry is per standing
    assert steps == {alice: True, bob: False}


def test_the_header_marks_the_current_page_and_knows_who_is_signed_in(client, units_dir):
    client.force_login(UserFactory())
    signed_in = client.get(reverse("curriculum:path")).content.decode()
    assert f'href="{reverse("dashboard")}"' in signed_in
    assert f'href="{reverse("curriculum:path")}" aria-current="page"' in signed_in
    quiz = client.get(reverse("quiz:index")).content.decode()
    assert f'href="{reverse("quiz:index")}" aria-current="page"' in quiz
    assert f'href="{reverse("curriculum:path")}" aria-current' not in quiz
    client.logout()
    visitor = client.get(reverse("curriculum:path")).content.decode()
    assert f'href="{reverse("dashboard")}"' not in visitor and "Log in" in visitor


def test_an_edit_outside_load_content_starts_a_new_version(client, units_dir):
    """The admin saves rows one by one: each save of a content row must show on the next page."""
    client.force_login(UserFactory())
    unit = Unit.objects.get(slug="request-and-response")
    page = reverse("curriculum:unit", args=[unit.slug])
    assert client.get(page).status_code == 200
    unit.title = "Retitled in the admin"
    unit.save()
    assert "Retitled in the admin" in client.get(reverse("curriculum:path")).content.decode()
    challenge = Challenge.objects.get(slug=unit.checkpoint_challenges[0])
    challenge.title = "A challenge retitled in the admin"
    challenge.save()
    assert "A challenge retitled in the admin" in client.get(page).content.decode()
    unit.is_active = False
    unit.save()
    assert client.get(page).status_code == 404
