"""Shape questions and answers for the templates: display order, and answers in words."""

from html import unescape

from django.db.models import Q
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe

from accounts.models import XpAward
from accounts.templatetags.markup import markdown_filter
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
        view["options"] = [(index, option_html(data["options"][index]["text"])) for index in order]
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
    """Return an answer in words as safe HTML, e.g. the option's text or 'line 3: Host : x'.

    Option text is curriculum Markdown, rendered as the question card renders it
    (option_html), so `text/html` reads as code here too, never as backticks.
    What the learner typed is escaped, never read as Markdown.
    """
    kind = data["type"]
    try:
        if kind == "single":
            return option_html(data["options"][answer]["text"])
        if kind == "multi":
            names = [option_html(data["options"][index]["text"]) for index in answer]
            return format_html_join("; ", "{}", ((name,) for name in names)) or "(nothing)"
        if kind == "truefalse":
            return "True" if answer else "False"
        if kind == "typed":
            return format_html("{}", answer)
        if kind == "spot_line":
            return format_html("line {}: {}", answer, data["message_lines"][answer - 1])
        if kind == "match":
            return format_html_join(
                "; ",
                "{} → {}",
                (
                    (pair[0], data["pairs"][choice][1])
                    for pair, choice in zip(data["pairs"], answer, strict=False)
                ),
            )
    except (IndexError, KeyError, TypeError):
        pass
    return "(an answer that does not fit this question)"


def option_html(text: str) -> str:
    """An option's text as safe inline HTML: on the card, in feedback and in the summary alike."""
    return _inline_markdown(text)


def _items(data: dict, given) -> list[dict]:
    """Per-item marks for multi and match questions, so partial credit is visible item by item."""
    kind = data["type"]
    if kind == "multi":
        chosen = set(given or [])
        return [
            _multi_item(option, index in chosen) for index, option in enumerate(data["options"])
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


def _multi_item(option: dict, chosen: bool) -> dict:
    """One option of a multi-select answer, said plainly: what you did, and why it is so.

    The sentence is safe HTML: the option's text and its why are curriculum
    Markdown, so code in them reads as code, as it does on the question card.
    """
    correct = bool(option.get("correct"))
    text = _option_name(option["text"])
    if option.get("why"):
        reason = _inline_markdown(option["why"])
        if option.get("reference"):
            reason = format_html("{} ({})", reason, option["reference"])
    else:
        reason = format_html("{} is one of them" if correct else "{} is not one of them", text)
    if chosen:
        pattern = "You ticked {}: right, {}." if correct else "You ticked {}, but {}."
    else:
        pattern = "You left {} unticked, but {}." if correct else "You left {} unticked: right, {}."
    return {
        "text": option["text"],
        "chosen": chosen,
        "correct": correct,
        "ok": chosen == correct,
        "sentence": format_html(pattern, text, reason),
    }


def _option_name(text: str) -> str:
    """An option as the sentence names it: a phrase in quotes, so its end is clear; code as code."""
    name = _inline_markdown(text)
    is_code = name.startswith("<code>") and name.endswith("</code>") and name.count("<code>") == 1
    if " " in strip_tags(name) and not is_code:
        return format_html("“{}”", name)
    return name


def _inline_markdown(text: str) -> str:
    """Return one line of curriculum Markdown as safe inline HTML (no paragraph around it)."""
    html = markdown_filter(text)
    inner = html.removeprefix("<p>").removesuffix("</p>")
    if html.startswith("<p>") and html.endswith("</p>") and "<p>" not in inner:
        return mark_safe(inner)  # noqa: S308 - markdown_filter's output is sanitised by nh3
    words = " ".join(unescape(strip_tags(html)).split())
    return format_html("{}", words)  # a block (a list, a heading): keep its words alone


def run_xp(run: QuizRun, answers) -> int:
    """XP this run earned: each question pays once ever, so count only awards made by its answers."""
    sources = {
        f"quiz:{answer.question.slug}": answer.answered_at for answer in answers if answer.correct
    }
    awards = XpAward.objects.filter(user=run.user, awarded_at__gte=run.started_at).filter(
        Q(source__in=sources) | Q(source__startswith="quiz-perfect:")
    )
    total = 0
    for award in awards:
        if award.source in sources:
            total += award.points if award.awarded_at >= sources[award.source] else 0
        elif run.finished_at and award.awarded_at >= run.finished_at:
            total += award.points  # the perfect-run bonus, paid as the run finished
    return total
