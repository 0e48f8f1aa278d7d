"""Quiz answers that reveal a misconception: a wrong answer whose choice carries one."""

from django.urls import reverse

from accounts.models import User
from curriculum.evidence import Evidence
from quiz.misconception_links import revealed_by_answer
from quiz.models import Answer

# The newest wrong answers looked at: enough to show a pattern, bounded for the dashboard.
ANSWERS_LOOKED_AT = 300
PROMPT_CHARS = 90


def answer_evidence(user: User) -> list[Evidence]:
    """Evidence from the learner's own wrong answers, newest first."""
    wrong = (
        Answer.objects.filter(user=user, correct=False)
        .select_related("question")
        .order_by("-answered_at", "-pk")[:ANSWERS_LOOKED_AT]
    )
    found = []
    for answer in wrong:
        data = answer.question.data
        for slug in revealed_by_answer(data, answer.given):
            found.append(
                Evidence(
                    misconception=slug,
                    source="answer",
                    at=answer.answered_at,
                    title=_shortened(answer.question.prompt),
                    detail=_chosen(data, answer.given),
                    url=reverse("quiz:feedback", args=[answer.run_id, answer.position]),
                )
            )
    return found


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PROMPT_CHARS else text[: PROMPT_CHARS - 1].rstrip() + "…"


def _chosen(data: dict, given) -> str:
    """What the learner answered, in words, for the kinds where one choice says it."""
    if data["type"] == "single" and isinstance(given, int):
        return f"You chose: {data['options'][given]['text']}"
    if data["type"] == "truefalse" and isinstance(given, bool):
        return f"You answered: {'True' if given else 'False'}"
    return "Your answer was wrong."
