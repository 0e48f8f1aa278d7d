"""misconceptions.yaml into Misconception rows (curriculum.loader.misconceptions_load)."""

import io

import pytest
from django.core.management import call_command

from challenges.sandbox import DIAGNOSTIC_CODES
from curriculum.loader import misconceptions_load
from curriculum.misconceptions import DEFAULT_PATH, ContentError, load_misconceptions
from curriculum.models import Misconception

pytestmark = pytest.mark.django_db

ENTRY = """\
  - slug: {slug}
    belief: {belief}
    correction: What is true.
    reference: RFC 9110 §9.2.2
    diagnostics: {codes}
"""


def _file(tmp_path, *entries):
    path = tmp_path / "misconceptions.yaml"
    path.write_text("misconceptions:\n" + "".join(ENTRY.format(**e) for e in entries))
    return path


def test_the_real_vocabulary_loads_with_the_sandbox_codes():
    count = misconceptions_load(DIAGNOSTIC_CODES)
    assert count == len(load_misconceptions(DEFAULT_PATH, DIAGNOSTIC_CODES)) > 0
    assert Misconception.objects.filter(is_active=True).count() == count
    assert Misconception.objects.get(slug="bare-lf-is-fine").diagnostics == ["bare-lf"]


def test_a_reload_updates_in_place_and_deactivates_what_is_gone(tmp_path):
    first = _file(
        tmp_path,
        {"slug": "kept", "belief": "Old words.", "codes": "[]"},
        {"slug": "dropped", "belief": "Gone soon.", "codes": "[bare-lf]"},
    )
    misconceptions_load(DIAGNOSTIC_CODES, first)
    kept = Misconception.objects.get(slug="kept")
    second = _file(tmp_path, {"slug": "kept", "belief": "New words.", "codes": "[bare-lf]"})
    assert misconceptions_load(DIAGNOSTIC_CODES, second) == 1
    kept.refresh_from_db()
    assert (kept.belief, kept.diagnostics, kept.is_active) == ("New words.", ["bare-lf"], True)
    assert Misconception.objects.get(slug="dropped").is_active is False


def test_an_unknown_diagnostic_code_changes_nothing(tmp_path):
    bad = _file(tmp_path, {"slug": "odd", "belief": "Odd.", "codes": "[no-such-code]"})
    with pytest.raises(ContentError, match="unknown diagnostic code 'no-such-code'"):
        misconceptions_load(DIAGNOSTIC_CODES, bad)
    assert not Misconception.objects.exists()


def test_load_content_loads_the_misconceptions():
    out = io.StringIO()
    call_command("load_content", stdout=out)
    assert f"Misconceptions: {Misconception.objects.count()}" in out.getvalue()
