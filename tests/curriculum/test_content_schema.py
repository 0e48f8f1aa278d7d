"""Unit files and topics.yaml: valid files load; every fault names its file and entry,
and load_content then changes nothing."""

import copy
import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from curriculum.content_schema import ContentError, load_topics, load_unit, load_units
from curriculum.loader import curriculum_path_load
from curriculum.models import Lesson, Unit

TOPICS = {"anatomy", "methods"}
TRY = {
    "slug": "get-books",
    "intro": "Send it.",
    "request": "GET /books HTTP/1.1\nHost: sandbox.localhost\n\n",
    "expect": {"status": 200, "headers": {"content-type": "json"}},
}
UNIT = {
    "unit": {
        "slug": "first",
        "number": 1,
        "title": "First",
        "topic": "anatomy",
        "summary": "Read a request.",
    },
    "lesson": [
        {"text": "A request has a start line (RFC 9112 §3)."},
        {"try": TRY},
        {"try": dict(TRY, slug="get-root")},
        {
            "diagram": {
                "kind": "sequence",
                "title": "A GET",
                "alt": "The client asks, the server answers.",
                "actors": ["Client", "Server"],
                "messages": [
                    {"from": "Client", "to": "Server", "text": "GET /books"},
                    {"from": "Server", "to": "Client", "text": "200 OK"},
                ],
            }
        },
    ],
    "checkpoint": {"questions": ["q1", "q2", "q3", "q4", "q5"], "challenges": ["c1"]},
}


def _write(directory, data, name="01-first.yaml"):
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _changed(change):
    data = copy.deepcopy(UNIT)
    change(data)
    return data


def test_a_valid_unit_loads_with_its_blocks_word_count_and_checkpoint(tmp_path):
    unit = load_unit(_write(tmp_path, UNIT), TOPICS)
    assert (unit["slug"], unit["number"], unit["topic"]) == ("first", 1, "anatomy")
    assert [next(iter(block)) for block in unit["blocks"]] == ["text", "try", "try", "diagram"]
    assert unit["words"] == 9
    assert unit["blocks"][1]["try"]["expect"] == {
        "status": 200,
        "headers": {"content-type": "json"},
        "body_contains": "",
    }
    assert (unit["questions"], unit["challenges"]) == (["q1", "q2", "q3", "q4", "q5"], ["c1"])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("checkpoint"), "file: must be a mapping with exactly unit, lesson"),
        (lambda d: d["unit"].pop("summary"), "unit: missing field(s): summary"),
        (lambda d: d["unit"].update(colour="red"), "unit: unknown field(s): colour"),
        (lambda d: d["unit"].update(slug="First Unit"), "unit: slug 'First Unit'"),
        (lambda d: d["unit"].update(number=2), "unit: the file must be named NN-<slug>.yaml"),
        (lambda d: d["unit"].update(topic="cooking"), "unit: topic 'cooking' is not in topics"),
        (lambda d: d.update(lesson=[]), "lesson: must be a non-empty list"),
        (lambda d: d["lesson"].pop(2), "lesson: needs at least two try blocks"),
        (lambda d: d["lesson"].append({"video": "x"}), "lesson block 5: unknown block 'video'"),
        (
            lambda d: d["lesson"][2]["try"].update(slug="get-books"),
            "lesson block 3 (try get-books): try slug 'get-books' is used twice",
        ),
        (
            lambda d: d["lesson"][1]["try"].update(expect={"status": 999}),
            "lesson block 2 (try get-books): expect.status must be a status code",
        ),
        (
            lambda d: d["lesson"][1]["try"].update(expect={"status": 200, "body": "x"}),
            "expect takes status, headers, body_contains",
        ),
        (lambda d: d["lesson"][1]["try"].pop("intro"), "lesson block 2: missing field(s): intro"),
        (
            lambda d: d["lesson"][3]["diagram"]["messages"][0].update(to="Srever"),
            "'to' names 'Srever', not one of the actors Client, Server",
        ),
        (
            lambda d: d["checkpoint"].update(questions=["q1"]),
            "checkpoint: questions must list 5 to 8 slugs",
        ),
        (
            lambda d: d["checkpoint"].update(challenges=["c1", "c1"]),
            "checkpoint: challenges names a slug twice",
        ),
    ],
)
def test_a_bad_unit_names_its_file_and_entry(tmp_path, change, expected):
    path = _write(tmp_path, _changed(change))
    with pytest.raises(ContentError) as caught:
        load_unit(path, TOPICS)
    assert "01-first.yaml" in str(caught.value)
    assert expected in str(caught.value)


def test_bad_yaml_names_its_line(tmp_path):
    path = tmp_path / "01-first.yaml"
    path.write_text("unit:\n  slug: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"01-first\.yaml: line \d+: YAML syntax error"):
        load_unit(path, TOPICS)


def test_units_must_be_numbered_without_gaps(tmp_path):
    _write(tmp_path, UNIT)
    second = _changed(lambda d: d["unit"].update(slug="third", number=3))
    _write(tmp_path, second, name="03-third.yaml")
    with pytest.raises(ContentError, match=r"03-third\.yaml: unit: number 3 breaks the order"):
        load_units(tmp_path, TOPICS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- anatomy\n", "file: must be a mapping with exactly 'topics'"),
        ("topics:\n  - {slug: a, title: A, summary: S}\n", "topic #1: missing field(s): order"),
        (
            "topics:\n  - {slug: a, title: A, summary: S, order: 1}\n"
            "  - {slug: a, title: B, summary: S, order: 2}\n",
            "topic #2 (a): slug and order must each be used once",
        ),
    ],
)
def test_a_bad_topic_list_names_its_entry(tmp_path, text, expected):
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_topics(path)
    assert expected in str(caught.value)


@pytest.mark.django_db
@pytest.mark.usefixtures("curriculum_topics")
def test_the_path_loads_idempotently_and_retires_a_removed_unit(tmp_path):
    _write(tmp_path, UNIT)
    known = {"questions": {"q1", "q2", "q3", "q4", "q5"}, "challenges": {"c1"}}

    def load():
        return curriculum_path_load(
            question_slugs=known["questions"],
            challenge_slugs=known["challenges"],
            directory=tmp_path,
        )

    assert str(load()) == "1 units with 2 try-it boxes (0 retired)"
    assert str(load()) == "1 units with 2 try-it boxes (0 retired)"
    assert Lesson.objects.get(unit__slug="first").words == 9
    (tmp_path / "01-first.yaml").unlink()
    _write(tmp_path, _changed(lambda d: d["unit"].update(slug="renamed")), "01-renamed.yaml")
    assert load().deactivated == 1
    assert list(Unit.objects.filter(is_active=True).values_list("slug", flat=True)) == ["renamed"]


@pytest.mark.django_db
@pytest.mark.usefixtures("curriculum_topics")
def test_a_checkpoint_naming_an_unknown_item_loads_nothing(tmp_path):
    _write(tmp_path, UNIT)
    with pytest.raises(ContentError, match=r"checkpoint: challenges c1 not found"):
        curriculum_path_load(
            question_slugs={"q1", "q2", "q3", "q4", "q5"},
            challenge_slugs=set(),
            directory=tmp_path,
        )
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_load_content_refuses_a_broken_unit_and_changes_nothing(tmp_path, monkeypatch):
    from curriculum import loader

    call_command("load_content", stdout=io.StringIO())
    units_before = list(Unit.objects.values_list("slug", "is_active"))
    broken = tmp_path / "content"
    (broken / "units").mkdir(parents=True)
    (broken / "topics.yaml").write_text(
        (loader.CONTENT_DIR / "topics.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    _write(broken / "units", _changed(lambda d: d["unit"].update(topic="cooking")))
    monkeypatch.setattr(loader, "CONTENT_DIR", broken)
    with pytest.raises(CommandError, match=r"Nothing was loaded\. .*01-first\.yaml: unit: topic"):
        call_command("load_content", stdout=io.StringIO())
    assert list(Unit.objects.values_list("slug", "is_active")) == units_before


def test_a_key_written_twice_is_refused_with_its_line(tmp_path):
    path = tmp_path / "01-first.yaml"
    path.write_text("unit:\n  slug: first\n  slug: second\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"line 3: YAML syntax error.*duplicate key 'slug'"):
        load_unit(path, TOPICS)
