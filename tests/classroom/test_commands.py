import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import LearnerTotals, XpAward
from classroom.loader import SetContentError, ready_made_sets_load
from classroom.models import ChallengeSet, StudyGroup

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_learners_awards_totals_and_a_group():
    out = io.StringIO()
    call_command("seed_demo", "--users", "30", "--events", "200", "--group-size", "10", stdout=out)
    assert "Created 30 learners, 200 XP awards" in out.getvalue()
    assert XpAward.objects.count() == 200
    assert LearnerTotals.objects.count() == 30
    for totals in LearnerTotals.objects.all()[:5]:
        assert totals.xp == sum(
            XpAward.objects.filter(user=totals.user).values_list("points", flat=True)
        )
    assert StudyGroup.objects.get().memberships.count() == 10


def test_seed_demo_refuses_to_run_twice_with_one_prefix_and_bad_numbers():
    call_command("seed_demo", "--users", "2", "--events", "2", stdout=io.StringIO())
    with pytest.raises(CommandError, match="exist already"):
        call_command("seed_demo", "--users", "2", stdout=io.StringIO())
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_demo", "--users", "0", "--prefix", "other", stdout=io.StringIO())


def test_ready_made_sets_load_with_the_curriculum_and_reload_in_place():
    call_command("load_content", stdout=io.StringIO())
    count = ChallengeSet.objects.filter(slug__isnull=False).count()
    assert count >= 3
    call_command("load_content", stdout=io.StringIO())
    assert ChallengeSet.objects.count() == count


def test_a_set_naming_an_unknown_challenge_loads_nothing(tmp_path):
    path = tmp_path / "sets.yaml"
    path.write_text("- {slug: s, title: S, description: '', items: ['challenge:nope']}\n")
    with pytest.raises(
        SetContentError,
        match=r"sets\.yaml: set #1 \(s\): There is no challenge or quiz topic called 'challenge:nope'",
    ):
        ready_made_sets_load(path)
    assert not ChallengeSet.objects.exists()


def test_seed_demo_with_a_password_prints_log_ins_that_work(client):
    call_command("load_content", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "seed_demo", "--users", "5", "--events", "20", "--password", "demo-pass-2024", stdout=out
    )
    group = StudyGroup.objects.get()
    printed = out.getvalue()
    assert "username demo-instructor, password demo-pass-2024" in printed
    assert "username demo-learner, password demo-pass-2024" in printed
    assert f"/groups/{group.pk}/" in printed
    assert group.owner.username == "demo-instructor"
    assert group.assignments.count() == 1
    for username in ("demo-instructor", "demo-learner"):
        logged_in = client.post(
            "/accounts/login/", {"username": username, "password": "demo-pass-2024"}
        )
        assert logged_in.status_code == 302
        assert client.get(f"/groups/{group.pk}/").status_code == 200
        client.logout()
    assert group.memberships.filter(role="owner").count() == 1


def test_seed_demo_without_a_password_makes_no_accounts_that_log_in():
    out = io.StringIO()
    call_command("seed_demo", "--users", "3", "--events", "3", stdout=out)
    assert "password" not in out.getvalue()
    assert not StudyGroup.objects.get().owner.has_usable_password()


def test_seed_demo_refuses_a_short_password_and_creates_nothing():
    with pytest.raises(CommandError, match="at least 8 characters"):
        call_command("seed_demo", "--users", "3", "--password", "short", stdout=io.StringIO())
    assert not StudyGroup.objects.exists()
