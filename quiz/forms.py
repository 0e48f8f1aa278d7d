"""Read a learner's answer out of a form post, in the shape quiz.questions scores.

Returns (answer, None) or (None, message); a message is shown next to the
question, and nothing is recorded.
"""

MAX_TYPED_LENGTH = 200


def answer_from_post(question_data: dict, post) -> tuple[object, str | None]:
    reader = _READERS[question_data["type"]]
    try:
        return reader(question_data, post)
    except (TypeError, ValueError):
        return None, "That answer is not one of the choices offered. Pick again."


def _single(data, post):
    if not post.get("choice"):
        return None, "Choose one option, then check your answer."
    return int(post["choice"]), None


def _multi(data, post):
    chosen = post.getlist("choice")
    if not chosen:
        return None, "Choose at least one option, then check your answer."
    return sorted({int(value) for value in chosen}), None


def _truefalse(data, post):
    value = post.get("choice")
    if value not in ("true", "false"):
        return None, "Choose True or False, then check your answer."
    return value == "true", None


def _typed(data, post):
    text = post.get("text", "").strip()
    if not text:
        return None, "Type an answer, then check it."
    if len(text) > MAX_TYPED_LENGTH:
        return None, f"Answers are short: keep it under {MAX_TYPED_LENGTH} characters."
    return text, None


def _spot_line(data, post):
    if not post.get("line"):
        return None, "Pick the line you think is wrong."
    return int(post["line"]), None


def _match(data, post):
    chosen = []
    for index in range(len(data["pairs"])):
        value = post.get(f"match-{index}", "")
        if value == "":
            return None, "Match every item on the left before checking."
        chosen.append(int(value))
    return chosen, None


_READERS = {
    "single": _single,
    "multi": _multi,
    "truefalse": _truefalse,
    "typed": _typed,
    "spot_line": _spot_line,
    "match": _match,
}
