"""Every unit of the path has what a unit needs, and every try-it box tells the truth.

One table of checks for all unit files in curriculum/content/units/, whoever
wrote them:

- each try-it request, sent as the box sends it by default (the editor form
  turns LF into CRLF), gets from a fresh bookshop the status, header values
  and body text its `expect` describes, on every replica the learner may hit.
  With several pipelined requests the last answer is the one described, and
  no earlier one may be a 5xx (that would be the sandbox failing, not
  answering);
- each unit has a short lesson, two or more try-it boxes, a text block that
  cites its RFC section every time, and a checkpoint of 5 to 8 active
  questions of 3 or more types and 1 to 3 active challenges;
- the units are numbered 1..N without gaps, N >= 12;
- every lesson renders: its text, its diagrams (an <svg role="img"> with the
  alt text) and its try-it boxes.
"""

import html
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.templatetags.markup import markdown_to_html
from challenges.forms import SendForm
from challenges.models import Challenge
from challenges.sandbox import fresh_state, process
from challenges.sandbox.engine import REPLICAS
from curriculum.diagrams import diagram_html
from curriculum.models import Unit, UnitProgress
from quiz.models import Question
from tests.factories import UserFactory

UNITS_DIR = Path(__file__).resolve().parents[2] / "curriculum" / "content" / "units"
UNIT_FILES = sorted(UNITS_DIR.glob("*.yaml"))
CITATION = re.compile(r"RFC \d+ §[\d.]+")
MAX_WORDS = 1000
MIN_UNITS = 12


def _unit(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _blocks(kind: str):
    for path in UNIT_FILES:
        for index, block in enumerate(_unit(path)["lesson"]):
            if kind in block:
                name = block[kind].get("slug", index + 1) if kind == "try" else index + 1
                yield pytest.param(path, block[kind], id=f"{path.stem}:{name}")


def as_the_box_sends(text: str) -> bytes:
    """The bytes the try-it form sends by default: the editor form's own CRLF rule."""
    form = SendForm({"request": text, "line_endings": "crlf"})
    assert form.is_valid(), form.errors
    return form.raw_bytes()


@pytest.mark.parametrize(("path", "box"), list(_blocks("try")))
@pytest.mark.parametrize("replica", REPLICAS)
def test_try_it_gets_the_answer_its_lesson_describes(path, box, replica):
    outcome = process(as_the_box_sends(box["request"]), fresh_state(), replica=replica)
    assert outcome.exchanges, "the sandbox answered nothing"
    *earlier, last = [exchange.response for exchange in outcome.exchanges]
    assert [r.status for r in earlier if r.status >= 500] == [], "an earlier request broke"
    shown = last.raw.decode("utf-8", "replace")
    expect = box["expect"]
    assert last.status == expect["status"], shown
    for name, part in (expect.get("headers") or {}).items():
        value = last.header(name)
        assert value is not None and str(part) in value, f"{name}: {value!r}\n{shown}"
    assert (expect.get("body_contains") or "") in last.body.decode("utf-8", "replace"), shown


def test_units_are_numbered_from_one_without_gaps_and_there_are_enough():
    numbers = [_unit(path)["unit"]["number"] for path in UNIT_FILES]
    assert [int(path.name[:2]) for path in UNIT_FILES] == numbers
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= MIN_UNITS, f"only {len(numbers)} units: the path needs {MIN_UNITS}"


@pytest.mark.parametrize("path", UNIT_FILES, ids=lambda path: path.stem)
def test_lesson_is_short_with_two_or_more_try_its(path):
    lesson = _unit(path)["lesson"]
    words = sum(len(block["text"].split()) for block in lesson if "text" in block)
    assert words <= MAX_WORDS, f"{words} words: about five minutes is {MAX_WORDS} at most"
    slugs = [block["try"]["slug"] for block in lesson if "try" in block]
    assert len(slugs) >= 2 and len(set(slugs)) == len(slugs)


@pytest.mark.parametrize(("path", "text"), list(_blocks("text")))
def test_every_text_block_cites_its_rfc_section(path, text):
    assert CITATION.search(text), f"no 'RFC nnnn §n.n' in: {text[:80]!r}"


@pytest.mark.django_db
def test_every_checkpoint_draws_on_active_questions_of_three_types_and_active_challenges():
    call_command("load_content", stdout=StringIO())
    types = dict(Question.objects.filter(is_active=True).values_list("slug", "type"))
    challenges = set(Challenge.objects.filter(is_active=True).values_list("slug", flat=True))
    problems = []
    for path in UNIT_FILES:
        checkpoint = _unit(path)["checkpoint"]
        questions = checkpoint["questions"]
        missing = [slug for slug in questions if slug not in types]
        missing += [slug for slug in checkpoint["challenges"] if slug not in challenges]
        kinds = {types[slug] for slug in questions if slug in types}
        if missing or len(kinds) < 3 or not 5 <= len(questions) <= 8:
            problems.append(f"{path.name}: missing {missing}, types {sorted(kinds)}")
        if not 1 <= len(checkpoint["challenges"]) <= 3:
            problems.append(f"{path.name}: {len(checkpoint['challenges'])} challenges")
    assert problems == []


def _page_text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _first_words(markdown: str, count: int = 6) -> str:
    return " ".join(_page_text(markdown_to_html(markdown)).split()[:count])


def _lesson_html(path: Path, rf) -> str:
    """The lesson's blocks rendered as a lesson page renders them (text, diagram, try-it box)."""
    data = _unit(path)
    parts = []
    for index, block in enumerate(data["lesson"]):
        if "text" in block:
            parts.append(markdown_to_html(block["text"]))
        elif "diagram" in block:
            parts.append(diagram_html(block["diagram"], f"dg{index}"))
        else:
            context = {"unit": data["unit"], "try": block["try"]}
            parts.append(render_to_string("curriculum/_try_it.html", context, request=rf.get("/")))
    return "".join(parts)


def _assert_lesson_shown(path: Path, page: str) -> None:
    text = _page_text(page)
    for block in _unit(path)["lesson"]:
        if "text" in block:
            assert _first_words(block["text"]) in text
        elif "diagram" in block:
            alt = " ".join(block["diagram"]["alt"].split())
            assert re.search(r'<svg[^>]*role="img"', page) and alt in text
        else:
            box = block["try"]
            assert f'id="try-{_unit(path)["unit"]["slug"]}-{box["slug"]}-result"' in page


@pytest.mark.parametrize("path", UNIT_FILES, ids=lambda path: path.stem)
def test_every_block_of_the_lesson_renders(path, rf):
    _assert_lesson_shown(path, _lesson_html(path, rf))


@pytest.mark.django_db
def test_every_lesson_page_shows_its_blocks(client):
    call_command("load_content", stdout=StringIO())
    learner = UserFactory()
    for unit in Unit.objects.filter(is_active=True):  # every unit open, whatever unlocks them
        UnitProgress.objects.create(
            user=learner, unit=unit, completed_at=timezone.now(), completed_via="placement"
        )
    client.force_login(learner)
    for path in UNIT_FILES:
        response = client.get(reverse("curriculum:unit", args=[_unit(path)["unit"]["slug"]]))
        assert response.status_code == 200, path.name
        _assert_lesson_shown(path, response.content.decode())
