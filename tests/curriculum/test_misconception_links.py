"""Every misconception is linked at least twice, and every link names one that exists.

A link is a `misconception:` key anywhere in a quiz or challenge file (on a
quiz option, a truefalse or spot_line question, or a challenge check), or a
diagnostic code in the misconception's own `diagnostics` list. The files are
read as plain YAML, not through the loaders, so a link put somewhere a loader
would not look is still counted and still checked.
"""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from challenges.sandbox.diagnostics import DIAGNOSTIC_CODES
from curriculum.misconceptions import DEFAULT_PATH, load_misconceptions

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIRS = (ROOT / "quiz" / "content", ROOT / "challenges" / "content")
MIN_LINKS = 2


def links_in(node, where):
    """Yield (slug, where) for every `misconception` key in a YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "misconception":
                yield value, where
            else:
                yield from links_in(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            label = item.get("slug") if isinstance(item, dict) else None
            yield from links_in(item, f"{where}[{label or index}]")


def content_links(directories=CONTENT_DIRS):
    links = []
    for directory in directories:
        for path in sorted(directory.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            links.extend(links_in(data, f"{directory.parent.name}/{path.name}"))
    return links


def link_counts(vocabulary, links):
    counts = Counter({item["slug"]: len(item["diagnostics"]) for item in vocabulary})
    counts.update(slug for slug, _ in links)
    return counts


VOCABULARY = load_misconceptions(DEFAULT_PATH, DIAGNOSTIC_CODES)
LINKS = content_links()


def test_the_content_links_something():
    assert len(LINKS) >= len(VOCABULARY)


def test_every_link_names_a_misconception_of_the_vocabulary():
    known = {item["slug"] for item in VOCABULARY}

    unknown = [f"{where}: {slug!r}" for slug, where in LINKS if slug not in known]

    assert unknown == []


def test_every_misconception_is_linked_at_least_twice():
    counts = link_counts(VOCABULARY, LINKS)

    too_few = {
        item["slug"]: counts[item["slug"]]
        for item in VOCABULARY
        if counts[item["slug"]] < MIN_LINKS
    }

    assert too_few == {}, f"linked fewer than {MIN_LINKS} times (count shown)"


# The counting itself, on small made-up files, so a broken counter cannot pass unnoticed.


def test_links_are_found_on_options_questions_and_checks_at_any_depth(tmp_path):
    (tmp_path / "quiz.yaml").write_text(
        yaml.safe_dump(
            {
                "questions": [
                    {
                        "slug": "q1",
                        "misconception": "a",
                        "options": [{"text": "x", "misconception": "b"}],
                    },
                    {"slug": "q2", "options": [{"text": "y"}]},
                ]
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "challenges.yaml").write_text(
        yaml.safe_dump(
            {
                "challenges": [
                    {
                        "slug": "c1",
                        "steps": [{"checks": [{"check": "no_errors", "misconception": "a"}]}],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )

    links = content_links([tmp_path])

    assert sorted(slug for slug, _ in links) == ["a", "a", "b"]
    assert (
        "b",
        f"{tmp_path.parent.name}/quiz.yaml.questions[q1].options[0]",
    ) in links


@pytest.mark.parametrize(
    ("diagnostics", "links", "expected"),
    [
        ([], [], 0),
        (["bare-lf"], [], 1),
        (["bare-lf"], [("m", "x")], 2),
        ([], [("m", "x"), ("m", "y"), ("other", "z")], 2),
    ],
)
def test_a_count_adds_diagnostics_and_links(diagnostics, links, expected):
    vocabulary = [{"slug": "m", "diagnostics": diagnostics}]

    assert link_counts(vocabulary, links)["m"] == expected
