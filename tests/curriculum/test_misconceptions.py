"""curriculum.misconceptions: the vocabulary file and its validation (pure Python, no database)."""

import copy
import os

import pytest
import yaml

from challenges.sandbox.diagnostics import DIAGNOSTIC_CODES
from curriculum.misconceptions import (
    DEFAULT_PATH,
    ContentError,
    known_slugs,
    link_problem,
    load_misconceptions,
    revealed_by_diagnostics,
)

# The vocabulary every engineer of issue 12 writes content against.
SHARED_VOCABULARY = {
    "put-not-idempotent", "post-is-idempotent", "delete-twice-not-idempotent", "get-may-create",
    "head-returns-body", "patch-replaces-whole", "401-means-forbidden", "403-means-log-in",
    "404-for-wrong-method", "errors-as-200", "304-has-body", "429-retry-at-once",
    "no-cache-means-do-not-store", "private-means-secret", "expires-beats-max-age",
    "etag-is-a-hash", "if-match-is-for-caching", "server-remembers-me",
    "content-length-counts-characters", "bare-lf-is-fine", "space-before-colon-is-harmless",
    "field-names-case-sensitive", "host-is-optional", "cl-and-te-together",
    "chunk-size-is-decimal", "pipelined-responses-any-order", "reason-phrase-matters",
    "redirects-keep-method", "basic-auth-encrypts", "cookie-sent-everywhere",
    "accept-is-a-demand", "cookie-is-the-session",
}  # fmt: skip

ENTRY = {
    "slug": "put-not-idempotent",
    "belief": "PUT is not idempotent.",
    "correction": "PUT sets the state; twice leaves the same state.",
    "reference": "RFC 9110 §9.2.2",
    "diagnostics": ["bare-lf"],
}


def write(tmp_path, data, name="misconceptions.yaml"):
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def entry(**changes):
    raw = copy.deepcopy(ENTRY)
    for name, value in changes.items():
        if value is _DROP:
            del raw[name]
        else:
            raw[name] = value
    return raw


_DROP = object()


# --- The real file ---------------------------------------------------------------


def test_the_vocabulary_loads_with_the_sandbox_codes_and_holds_the_shared_slugs():
    loaded = load_misconceptions(DEFAULT_PATH, DIAGNOSTIC_CODES)

    slugs = [item["slug"] for item in loaded]
    assert set(slugs) == SHARED_VOCABULARY
    assert len(slugs) == len(set(slugs)) >= 32
    assert known_slugs() == frozenset(SHARED_VOCABULARY)


def test_every_correction_is_two_or_three_sentences_and_every_belief_one_short_line():
    for item in load_misconceptions(DEFAULT_PATH, DIAGNOSTIC_CODES):
        sentences = [s for s in item["correction"].replace("e.g.", "eg").split(". ") if s]
        assert 2 <= len(sentences) <= 3, item["slug"]
        assert item["correction"].endswith("."), item["slug"]
        assert len(item["belief"]) <= 100, item["slug"]


# --- Valid input -----------------------------------------------------------------


def test_an_entry_comes_back_normalised(tmp_path):
    path = write(
        tmp_path,
        {"misconceptions": [entry(correction="  PUT sets\n the state.  Twice is once. ")]},
    )

    (item,) = load_misconceptions(path, {"bare-lf"})

    assert item == {
        "slug": "put-not-idempotent",
        "belief": "PUT is not idempotent.",
        "correction": "PUT sets the state. Twice is once.",
        "reference": "RFC 9110 §9.2.2",
        "diagnostics": ["bare-lf"],
    }


def test_without_known_codes_only_the_form_of_a_code_is_checked(tmp_path):
    path = write(tmp_path, {"misconceptions": [entry(diagnostics=["made-up-code"])]})

    assert load_misconceptions(path, None)[0]["diagnostics"] == ["made-up-code"]
    with pytest.raises(ContentError, match="unknown diagnostic code 'made-up-code'"):
        load_misconceptions(path, DIAGNOSTIC_CODES)


def test_known_slugs_reads_the_file_again_once_it_changes(tmp_path):
    path = write(tmp_path, {"misconceptions": [entry()]})
    assert known_slugs(path) == {"put-not-idempotent"}

    write(tmp_path, {"misconceptions": [entry(slug="bare-lf-is-fine")]})
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))

    assert known_slugs(path) == {"bare-lf-is-fine"}


# --- Bad input: each names the file and the entry -----------------------------------

BAD_FILES = [
    ("misconceptions:\n  - slug: [a\n", "line 3", "YAML syntax error"),
    ("- a\n- b\n", "file", "must be a mapping with exactly 'misconceptions'"),
    ({"misconceptions": [entry()], "topic": "x"}, "file", "exactly 'misconceptions'"),
    ({"misconceptions": []}, "misconceptions", "must be a non-empty list"),
    ({"misconceptions": ["put"]}, "misconception #1", "must be a mapping of fields"),
    (
        {"misconceptions": [entry(reference=_DROP)]},
        "misconception #1 (put-not-idempotent)",
        "missing field(s): reference",
    ),
    (
        {"misconceptions": [entry(diagnostics=_DROP)]},
        "misconception #1 (put-not-idempotent)",
        "missing field(s): diagnostics",
    ),
    (
        {"misconceptions": [entry(source="MDN")]},
        "misconception #1 (put-not-idempotent)",
        "unknown field(s): source",
    ),
    ({"misconceptions": [entry(slug="PUT_twice")]}, "misconception #1 (PUT_twice)", "lowercase"),
    ({"misconceptions": [entry(slug=401)]}, "misconception #1:", "slug 401 must be lowercase"),
    (
        {"misconceptions": [entry(belief="  ")]},
        "misconception #1 (put-not-idempotent)",
        "belief must be a non-empty string",
    ),
    (
        {"misconceptions": [entry(correction=["a"])]},
        "misconception #1 (put-not-idempotent)",
        "correction must be a non-empty string",
    ),
    (
        {"misconceptions": [entry(reference="RFC 9110 9.2.2")]},
        "misconception #1 (put-not-idempotent)",
        "must look like 'RFC 9110 §9.2.2'",
    ),
    (
        {"misconceptions": [entry(reference="RFC 9110 §9.2.2, on retries")]},
        "misconception #1 (put-not-idempotent)",
        "with no note",
    ),
    (
        {"misconceptions": [entry(reference="https://developer.mozilla.org/x")]},
        "misconception #1 (put-not-idempotent)",
        "must look like",
    ),
    (
        {"misconceptions": [entry(diagnostics="bare-lf")]},
        "misconception #1 (put-not-idempotent)",
        "diagnostics must be a list",
    ),
    (
        {"misconceptions": [entry(diagnostics=["Bare LF"])]},
        "misconception #1 (put-not-idempotent)",
        "'Bare LF' is not written like a code",
    ),
    (
        {"misconceptions": [entry(diagnostics=["no-such-code"])]},
        "misconception #1 (put-not-idempotent)",
        "unknown diagnostic code 'no-such-code'",
    ),
    (
        {"misconceptions": [entry(diagnostics=["bare-lf", "bare-lf"])]},
        "misconception #1 (put-not-idempotent)",
        "listed twice",
    ),
    (
        {"misconceptions": [entry(), entry(belief="Another.")]},
        "misconception #2 (put-not-idempotent)",
        "duplicate slug: already used by misconception #1",
    ),
    (
        "misconceptions:\n  - slug: a\n    slug: b\n",
        "line 3",
        "found duplicate key 'slug'",
    ),
]


@pytest.mark.parametrize(("data", "entry_name", "problem"), BAD_FILES)
def test_bad_vocabulary_names_the_file_the_entry_and_the_fault(tmp_path, data, entry_name, problem):
    path = write(tmp_path, data)

    with pytest.raises(ContentError) as caught:
        load_misconceptions(path, DIAGNOSTIC_CODES)

    message = str(caught.value)
    assert message.startswith(f"{path}: {entry_name}")
    assert problem in message


def test_a_missing_file_is_a_content_error(tmp_path):
    with pytest.raises(ContentError, match="cannot be read"):
        load_misconceptions(tmp_path / "absent.yaml", DIAGNOSTIC_CODES)
    with pytest.raises(ContentError, match="cannot be read"):
        known_slugs(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("put-not-idempotent", None),
        ("put-is-not-idempotent", "'put-is-not-idempotent' is not in the vocabulary"),
        ("PUT", "must be a slug from misconceptions.yaml, got 'PUT'"),
        (["put-not-idempotent"], "must be a slug"),
        (None, "got None"),
    ],
)
def test_link_problem_says_why_a_link_is_not_a_known_slug(value, problem):
    found = link_problem(value, {"put-not-idempotent"})

    assert found is None if problem is None else problem in found


def test_diagnostic_codes_reveal_the_misconceptions_that_list_them():
    vocabulary = load_misconceptions(DEFAULT_PATH, DIAGNOSTIC_CODES)

    assert revealed_by_diagnostics(vocabulary, ["bare-lf", "missing-host", "bare-lf"]) == [
        "bare-lf-is-fine",
        "host-is-optional",
    ]
    assert revealed_by_diagnostics(vocabulary, ["unknown-method"]) == []
    assert revealed_by_diagnostics(vocabulary, []) == []
