"""Shape questions and answers for the templates: display order, and answers in words."""

from quiz.models import Answer, Question, QuizRun
from quiz.questions import correct_answer


def question_view(run: QuizRun, question: Question) -> dict:
    """Return what the question card shows: options in this run's shuffled order, lines, match choices."""
    data = question.data
    order = run.layout.get(str(question.pk)) or list(
        range(len(data.get("options") or data.get("pairs") or []))
    )
    view = {"model": question, "type": question.type, "prompt": question.prompt, "data": data}
    if question.type in ("single", "multi"):
        view["options"] = [(index, data["options"][index]["text"]) for index in order]
    elif question.type == "match":
        view["lefts"] = [(index, pair[0]) for index, pair in enumerate(data["pairs"])]
        view["rights"] = [(index, data["pairs"][index][1]) for index in order]
    elif question.type == "spot_line":
        view["lines"] = list(enumerate(data["message_lines"], start=1))
    return view


def answer_review(run: QuizRun, answer: Answer) -> dict:
    """Return the feedback on one answer: verdict, what was given, what is right, and why."""
    question = answer.question
    data = question.data
    return {
        "answer": answer,
        "question": question_view(run, question),
        "given": describe(data, answer.given),
        "right": describe(data, correct_answer(data)),
        "items": _items(data, answer.given),
        "verdict": "Right"
        if answer.correct
        else ("Partly right" if answer.fraction > 0 else "Not quite"),
    }


def describe(data: dict, answer) -> str:
    """Return an answer in words, e.g. the option's text or 'line 3: Host : x'."""
    kind = data["type"]
    try:
        if kind == "single":
            return data["options"][answer]["text"]
        if kind == "multi":
            return "; ".join(data["options"][index]["text"] for index in answer) or "(nothing)"
        if kind == "truefalse":
            return "True" if answer else "False"
        if kind == "typed":
            return str(answer)
        if kind == "spot_line":
            return f"line {answer}: {data['message_lines'][answer - 1]}"
        if kind == "match":
            return "; ".join(
                f"{pair[0]} → {data['pairs'][choice][1]}"
                for pair, choice in zip(data["pairs"], answer, strict=False)
            )
    except (IndexError, KeyError, TypeError):
        pass
    return "(an answer that does not fit this question)"


def _items(data: dict, given) -> list[dict]:
    """Per-item marks for multi and match questions, so partial credit is visible item by item."""
    kind = data["type"]
    if kind == "multi":
        chosen = set(given or [])
        return [
            {
                "text": option["text"],
                "chosen": index in chosen,
                "correct": option["correct"],
                "ok": (index in chosen) == option["correct"],
            }
            for index, option in enumerate(data["options"])
        ]
    if kind == "match":
        items = []
        for index, (left, right) in enumerate(data["pairs"]):
            choice = given[index] if given and index < len(given) else None
            chosen_text = (
                data["pairs"][choice][1]
                if isinstance(choice, int) and 0 <= choice < len(data["pairs"])
                else "(none)"
            )
            items.append(
                {
                    "text": left,
                    "chosen_text": chosen_text,
                    "right_text": right,
                    "ok": choice == index,
                }
            )
        return items
    return []
