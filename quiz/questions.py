"""The quiz question bank: load and validate the YAML files, and score answers.

Questions are data (``quiz/content/<topic>.yaml``). Each file is validated in
full when it is loaded, and the first problem raises ContentError naming the
file, the entry and the fault, so a broken bank fails at deploy time rather than
in front of a learner. This module imports nothing from Django.

Scoring lives in quiz.scoring (re-exported here), pure and total: answers
arrive from the network, so score_answer() never raises on a malformed answer.
Answer shapes, where option indexes are positions in the YAML (the view
shuffles for display and maps back):

    single     int               index of the chosen option
    multi      iterable of int   indexes of the chosen options
    truefalse  bool
    typed      str               compared after normalize_typed_answer()
    spot_line  int               1-based line number in ``message``
    match      list of int       for each pair in YAML order, the index of the
                                 right-hand item chosen for it
"""

import re
from pathlib import Path

import yaml

from curriculum import misconceptions
from curriculum.strict_yaml import StrictLoader
from quiz.scoring import Score, _is_index, correct_answer, normalize_typed_answer, score_answer

__all__ = [
    "ContentError",
    "Score",
    "correct_answer",
    "load_question_bank",
    "load_question_file",
    "normalize_typed_answer",
    "score_answer",
]

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_RFC_SECTION = (
    r"RFC (?P<rfc>9110|9111|9112|6265|9457|7617|6750|9113|3986|8288|7233) "
    r"§(?P<section>(?:\d+|[A-Z])(?:\.\d+)*)"
)
_RFC_REFERENCE = re.compile(
    _RFC_SECTION + r"(?:[ ,;:]\s*\S.{0,79})?"  # an optional short note after the section
)
_OPTION_REFERENCE = re.compile(_RFC_SECTION)  # cited inside a sentence, so no note
_WHY_MAX_LENGTH = 200
_MDN_REFERENCE = re.compile(r"https://developer\.mozilla\.org/\S+")

_COMMON_FIELDS = ("slug", "type", "difficulty", "prompt", "explanation", "reference")
_TYPE_FIELDS = {
    "single": ("options",),
    "multi": ("options",),
    "truefalse": ("answer",),
    "typed": ("accept",),
    "spot_line": ("message", "answer_line"),
    "match": ("pairs",),
}
# Types with one right answer, where any wrong answer reveals the question's
# misconception; single and multi name theirs on the options instead.
_QUESTION_MISCONCEPTION_TYPES = ("truefalse", "spot_line")


class ContentError(Exception):
    """A question file is invalid; the message names the file, the entry and the fault."""

    def __init__(self, path, entry, problem):
        self.path, self.entry, self.problem = str(path), entry, problem
        super().__init__(f"{self.path}: {entry}: {problem}")


# --- Loading -------------------------------------------------------------------


def load_question_file(path) -> tuple[str, list[dict]]:
    """Read one topic file and return (topic slug, questions), normalised.

    Each question: {slug, topic, type,
    difficulty, position (index in the file), prompt, explanation (Markdown,
    stripped), reference, reference_url} plus its type's fields: options
    [{text, correct} plus, on multi-select, {why, reference} when the file
    gives a why], answer, accept, message + message_lines + answer_line, or
    pairs [[left, right]]. Raises ContentError for an unreadable file, a YAML
    syntax error (with its line), a duplicate key, or any field that breaks the
    rules of the format.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "file", f"cannot be read ({exc})") from exc
    try:
        data = yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, where, f"YAML syntax error: {reason}") from exc
    if not isinstance(data, dict):
        raise ContentError(path, "file", "must be a mapping with 'topic' and 'questions'")
    _check_fields(path, "file", data, required=("topic", "questions"))
    topic = _topic(path, data["topic"])
    if not isinstance(data["questions"], list) or not data["questions"]:
        raise ContentError(path, "questions", "must be a non-empty list of questions")
    questions, seen = [], set()
    for position, raw in enumerate(data["questions"]):
        question = _question(path, position, raw, topic)
        if question["slug"] in seen:
            entry = _entry(position, question["slug"])
            raise ContentError(path, entry, "duplicate slug: used earlier in this file")
        seen.add(question["slug"])
        questions.append(question)
    return topic, questions


def load_question_bank(directory) -> tuple[list[str], list[dict]]:
    """Load every ``*.yaml`` in directory (in name order) and return (topic slugs, questions).

    Several files may hold questions of one topic: a file is named after its
    topic, alone or with a suffix (``methods.yaml``, ``methods-more.yaml``).
    Whether each topic exists is for the loader to check against the curriculum.
    Raises ContentError if the directory is missing, a file is invalid or
    misnamed, or a question slug is used twice.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ContentError(directory, "directory", "does not exist")
    topics, questions, slug_files = [], [], {}
    for path in sorted(directory.glob("*.yaml")):
        topic, file_questions = load_question_file(path)
        if path.stem != topic and not path.stem.startswith(topic + "-"):
            raise ContentError(
                path,
                "topic",
                f"{topic!r} must match the file name ({topic}.yaml or {topic}-*.yaml)",
            )
        for question in file_questions:
            entry = _entry(question["position"], question["slug"])
            _claim(slug_files, question["slug"], path, entry, "slug")
        if topic not in topics:
            topics.append(topic)
        questions.extend(file_questions)
    return topics, questions


def _claim(owners, key, path, entry, what):
    if key in owners:
        raise ContentError(path, entry, f"{what} {key!r} is already used in {owners[key].name}")
    owners[key] = path


def _entry(position, slug=None):
    return f"question #{position + 1} ({slug})" if slug else f"question #{position + 1}"


def _check_fields(path, entry, data, required, optional=()):
    missing = [name for name in required if name not in data]
    if missing:
        raise ContentError(path, entry, f"missing field(s): {', '.join(missing)}")
    unknown = sorted(str(name) for name in data if name not in (*required, *optional))
    if unknown:
        raise ContentError(path, entry, f"unknown field(s): {', '.join(unknown)}")


def _text(path, entry, value, name):
    if not isinstance(value, str) or not value.strip():
        hint = " (quote it in the YAML)" if isinstance(value, int | float | bool) else ""
        raise ContentError(path, entry, f"{name} must be a non-empty string{hint}")
    return value.strip()


def _topic(path, raw):
    if isinstance(raw, dict):
        raise ContentError(
            path,
            "topic",
            "must be a topic's slug, like 'topic: methods'; topics are defined once, "
            "in curriculum/content/topics.yaml",
        )
    return _slug(path, "topic", raw)


def _slug(path, entry, value):
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        problem = f"slug {value!r} must be lowercase words joined by hyphens, like 'a-b2-c'"
        raise ContentError(path, entry, problem)
    return value


def _question(path, position, raw, topic_slug):
    if not isinstance(raw, dict):
        raise ContentError(path, _entry(position), "must be a mapping of fields")
    slug = raw.get("slug") if isinstance(raw.get("slug"), str) else None
    entry = _entry(position, slug)
    for name in ("slug", "type"):  # checked first: the rest of the checks depend on them
        if name not in raw:
            raise ContentError(path, entry, f"missing field(s): {name}")
    _slug(path, entry, slug)
    kind = raw["type"]
    if kind not in _TYPE_FIELDS:
        raise ContentError(path, entry, f"unknown type {kind!r}; use {', '.join(_TYPE_FIELDS)}")
    required = (*_COMMON_FIELDS, *_TYPE_FIELDS[kind])
    optional = ("topic", "misconception") if kind in _QUESTION_MISCONCEPTION_TYPES else ("topic",)
    _check_fields(path, entry, raw, required=required, optional=optional)
    if raw.get("topic", topic_slug) != topic_slug:
        problem = f"topic {raw['topic']!r} differs from the file's topic {topic_slug!r}"
        raise ContentError(path, entry, problem)
    difficulty = raw["difficulty"]
    if not _is_index(difficulty) or difficulty not in (1, 2, 3):
        raise ContentError(path, entry, f"difficulty must be 1, 2 or 3, got {difficulty!r}")
    reference = _text(path, entry, raw["reference"], "reference")
    question = {
        "slug": slug,
        "topic": topic_slug,
        "type": kind,
        "difficulty": difficulty,
        "position": position,
        "prompt": _text(path, entry, raw["prompt"], "prompt"),
        "explanation": _text(path, entry, raw["explanation"], "explanation"),
        "reference": reference,
        "reference_url": _reference_url(path, entry, reference),
    }
    question.update(_TYPE_CHECKS[kind](path, entry, raw))
    question.update(_misconception(path, entry, raw))
    return question


def _reference_url(path, entry, reference):
    if _MDN_REFERENCE.fullmatch(reference):
        return reference
    match = _RFC_REFERENCE.fullmatch(reference)
    if not match:
        problem = (
            f"reference {reference!r} must look like 'RFC 9110 §9.2.2' (one of the RFCs "
            "we cite, then an optional short note) or be a developer.mozilla.org URL"
        )
        raise ContentError(path, entry, problem)
    section = match["section"]
    anchor = f"appendix-{section}" if section[0].isalpha() else f"section-{section}"
    return f"https://www.rfc-editor.org/rfc/rfc{match['rfc']}#{anchor}"


def _options(path, entry, raw):
    options = raw["options"]
    if not isinstance(options, list) or len(options) < 2:
        raise ContentError(path, entry, "options must be a list of at least 2 options")
    normalised = []
    for number, option in enumerate(options, start=1):
        where = f"{entry}, option {number}"
        if not isinstance(option, dict):
            raise ContentError(path, where, "must be a mapping like {text: ..., correct: true}")
        optional = ("correct", "why", "reference", "misconception")
        _check_fields(path, where, option, required=("text",), optional=optional)
        correct = option.get("correct", False)
        if not isinstance(correct, bool):
            raise ContentError(path, where, f"correct must be true or false, got {correct!r}")
        if correct and raw["type"] == "single" and "misconception" in option:
            problem = "the correct option of a single-choice question reveals no misconception"
            raise ContentError(path, where, problem)
        text = _text(path, where, option["text"], "text")
        reason = _option_reason(path, where, option, raw)
        link = _misconception(path, where, option)
        normalised.append({"text": text, "correct": correct, **reason, **link})
    _check_every_option_has_a_why(path, entry, normalised)
    texts = [option["text"] for option in normalised]
    if len(set(texts)) != len(texts):
        raise ContentError(path, entry, "two options have the same text")
    right = sum(option["correct"] for option in normalised)
    if raw["type"] == "single" and right != 1:
        problem = f"a single-choice question needs exactly one correct option, found {right}"
        raise ContentError(path, entry, problem)
    if raw["type"] == "multi" and right < 1:
        raise ContentError(path, entry, "a multi-choice question needs at least one correct option")
    return {"options": normalised}


def _misconception(path, where, raw):
    """{misconception: slug} when `raw` names one from the vocabulary, else {}.
    What reveals it is quiz.misconception_links' business."""
    if "misconception" not in raw:
        return {}
    try:
        slugs = misconceptions.known_slugs()
    except misconceptions.ContentError as exc:
        raise ContentError(exc.path, exc.entry, exc.problem) from exc
    problem = misconceptions.link_problem(raw["misconception"], slugs)
    if problem:
        raise ContentError(path, where, problem)
    return {"misconception": raw["misconception"]}


def _option_reason(path, where, option, raw):
    """Return {why, reference} for an option that says why it is right or wrong, else {}.

    `why` is one clause the feedback sentence finishes ("You ticked PUT: right,
    <why> (<reference>)."), so it reads after "right," and after "but" alike.
    The reference is the option's own, or the question's RFC section.
    """
    if "why" not in option:
        if "reference" in option:
            raise ContentError(path, where, "reference is cited after a why, so it needs a why")
        return {}
    if raw["type"] != "multi":
        problem = (
            f"why is only shown for multi-select options; a {raw['type']!r} question "
            "explains its options in its explanation"
        )
        raise ContentError(path, where, problem)
    why = " ".join(_text(path, where, option["why"], "why").split())
    if why.endswith((".", "!", "?", ";", ":")):
        problem = "why is one clause that the feedback sentence finishes: leave out the final stop"
        raise ContentError(path, where, problem)
    if len(why) > _WHY_MAX_LENGTH:
        problem = (
            f"why is {len(why)} characters; keep it to one clause of {_WHY_MAX_LENGTH} at most"
        )
        raise ContentError(path, where, problem)
    if "reference" not in option:
        question_section = _OPTION_REFERENCE.match(raw["reference"])
        return {"why": why, "reference": question_section[0] if question_section else None}
    reference = _text(path, where, option["reference"], "reference")
    if not _OPTION_REFERENCE.fullmatch(reference):
        problem = f"reference {reference!r} must look like 'RFC 9110 §9.2.2', with no note"
        raise ContentError(path, where, problem)
    return {"why": why, "reference": reference}


def _check_every_option_has_a_why(path, entry, options):
    """Feedback that explains some options and not others reads as an oversight: all or none."""
    if not any("why" in option for option in options):
        return
    for number, option in enumerate(options, start=1):
        if "why" not in option:
            problem = "has no why, though other options of this question do: give each one a why"
            raise ContentError(path, f"{entry}, option {number}", problem)


def _truefalse(path, entry, raw):
    if not isinstance(raw["answer"], bool):
        raise ContentError(path, entry, f"answer must be true or false, got {raw['answer']!r}")
    return {"answer": raw["answer"]}


def _typed(path, entry, raw):
    accept = raw["accept"]
    if not isinstance(accept, list) or not accept:
        raise ContentError(path, entry, "accept must be a non-empty list of answers")
    accept = [_text(path, entry, value, "every accept entry") for value in accept]
    if not all(normalize_typed_answer(value) for value in accept):
        raise ContentError(path, entry, "an accept entry normalises to an empty answer")
    return {"accept": accept}


def _spot_line(path, entry, raw):
    message, answer_line = raw["message"], raw["answer_line"]
    if not isinstance(message, str) or not message.strip():
        raise ContentError(path, entry, "message must be a non-empty block of text")
    lines = _message_lines(message)
    if not _is_index(answer_line) or not 1 <= answer_line <= len(lines):
        problem = f"answer_line must be a line number from 1 to {len(lines)}, got {answer_line!r}"
        raise ContentError(path, entry, problem)
    return {"message": message, "message_lines": lines, "answer_line": answer_line}


def _message_lines(message):
    """Split a spot_line message into display lines; one final newline is not a line."""
    return message.removesuffix("\n").split("\n")


def _match(path, entry, raw):
    pairs = raw["pairs"]
    if not isinstance(pairs, list) or len(pairs) < 2:
        raise ContentError(path, entry, "pairs must be a list of at least 2 [left, right] pairs")
    normalised = []
    for number, pair in enumerate(pairs, start=1):
        where = f"{entry}, pair {number}"
        if not isinstance(pair, list) or len(pair) != 2:
            raise ContentError(path, where, "must be a [left, right] list of two strings")
        left, right = (_text(path, where, item, "each side") for item in pair)
        normalised.append([left, right])
    for side, name in ((0, "left"), (1, "right")):
        items = [pair[side] for pair in normalised]
        if len(set(items)) != len(items):
            raise ContentError(path, entry, f"duplicate {name} item in pairs")
    return {"pairs": normalised}


_TYPE_CHECKS = {
    "single": _options,
    "multi": _options,
    "truefalse": _truefalse,
    "typed": _typed,
    "spot_line": _spot_line,
    "match": _match,
}
