"""A badge per unit of the path and one for the whole course, given on curriculum's signal."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.badges import badge_get
from accounts.models import BadgeAward, XpAward
from accounts.selectors import badge_case
from curriculum.models import Unit, UnitProgress
from curriculum.signals import unit_completed
from tests.factories import TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

PATH = [(1, "request-and-response", "Request and response"), (2, "methods", "Methods"),
        (3, "status-codes", "Status codes")]  # fmt: skip


@pytest.fixture
def units():
    return [
        Unit.objects.create(
            slug=slug, number=number, title=title, summary="…", topic=TopicFactory(slug=slug)
        )
        for number, slug, title in PATH
    ]


def complete(user, unit, via="path"):
    """What curriculum.services does: mark the unit complete once, then send the signal."""
    UnitProgress.objects.update_or_create(
        user=user, unit=unit, defaults={"completed_at": timezone.now(), "completed_via": via}
    )
    unit_completed.send(sender=Unit, user=user, unit=unit, via=via)


def test_completing_a_unit_gives_its_badge_once_with_its_xp(units):
    learner = UserFactory()
    complete(learner, units[2])
    assert list(BadgeAward.objects.filter(user=learner).values_list("badge", flat=True)) == [
        "unit-status-codes"
    ]
    assert XpAward.objects.get(user=learner, source="badge:unit-status-codes").points == 10
    badge = badge_get("unit-status-codes")
    assert (badge.name, badge.symbol) == ("Unit 3: Status codes", "③")


def test_the_signal_twice_still_gives_one_badge_and_one_payment(units):
    learner = UserFactory()
    complete(learner, units[0])
    unit_completed.send(sender=Unit, user=learner, unit=units[0], via="path")
    assert BadgeAward.objects.filter(user=learner, badge="unit-request-and-response").count() == 1
    assert XpAward.objects.filter(user=learner, source__startswith="badge:").count() == 1


def test_a_placement_completion_earns_the_badge_and_the_dashboard_says_how(client, units):
    learner = UserFactory()
    complete(learner, units[1], via="placement")
    complete(learner, units[0], via="path")
    client.force_login(learner)
    body = client.get(reverse("dashboard")).content.decode()
    assert "<strong>Unit 2: Methods</strong>" in body
    assert body.count("by the placement check") == 1
    entries = {entry["badge"].slug: entry for entry in badge_case(learner)}
    assert entries["unit-methods"]["note"] == "by the placement check"
    assert entries["unit-request-and-response"]["note"] == ""


def test_the_course_badge_comes_with_the_last_unit_whatever_the_order(units):
    learner = UserFactory()
    for unit in (units[2], units[0]):
        complete(learner, unit, via="placement")
    assert not BadgeAward.objects.filter(user=learner, badge="course-complete").exists()
    complete(learner, units[1])
    assert BadgeAward.objects.filter(user=learner, badge="course-complete").count() == 1
    assert XpAward.objects.filter(user=learner, source="badge:course-complete").exists()


def test_a_retired_unit_is_not_needed_for_the_course_badge(units):
    Unit.objects.filter(pk=units[2].pk).update(is_active=False)
    learner = UserFactory()
    complete(learner, units[0])
    complete(learner, units[1])
    assert BadgeAward.objects.filter(user=learner, badge="course-complete").exists()


def test_another_learners_units_do_not_count_towards_mine(units):
    other, learner = UserFactory(), UserFactory()
    for unit in units[:2]:
        complete(other, unit)
    complete(learner, units[2])
    assert not BadgeAward.objects.filter(user=learner, badge="course-complete").exists()
    assert set(BadgeAward.objects.filter(user=learner).values_list("badge", flat=True)) == {
        "unit-status-codes"
    }


def test_unit_badges_are_listed_after_the_fixed_ones_in_path_order(units):
    slugs = [entry["badge"].slug for entry in badge_case(UserFactory())]
    assert slugs[0] == "first-answer"
    assert slugs[-4:] == [
        "unit-request-and-response",
        "unit-methods",
        "unit-status-codes",
        "course-complete",
    ]


def test_without_units_there_is_no_course_badge_to_show():
    assert "course-complete" not in {entry["badge"].slug for entry in badge_case(UserFactory())}


def test_a_new_unit_badge_is_announced_once_by_name(client, units):
    learner = UserFactory()
    client.force_login(learner)
    complete(learner, units[0])
    first = client.get(reverse("accounts:profile")).content.decode()
    again = client.get(reverse("accounts:profile")).content.decode()
    assert "Unit 1: Request and response" in first
    assert "Unit 1: Request and response" not in again


def test_every_unit_of_the_content_has_a_badge_slug_that_fits_the_badge_column():
    """A unit's badge slug is stored in BadgeAward.badge: PostgreSQL would refuse a longer one."""
    files = sorted((Path(settings.BASE_DIR) / "curriculum" / "content" / "units").glob("*.yaml"))
    assert len(files) >= 12
    width = BadgeAward._meta.get_field("badge").max_length
    too_long = [path.name for path in files if len(f"unit-{path.stem[3:]}") > width]
    assert too_long == []
