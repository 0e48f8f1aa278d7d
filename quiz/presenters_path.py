"""What a finished checkpoint or placement run means for the learner's path, for the summary page."""

from django.urls import reverse

from curriculum.selectors import MASTERY, path_standings
from quiz.models import QuizRun


def path_outcome(run: QuizRun, right: int) -> dict | None:
    """The verdict line and links of a checkpoint or placement run; None for other runs.

    outcome is "complete" (the unit is complete), "challenges" (checkpoint
    passed, challenges left), "retry" (under MASTERY), for a placement
    "skipped" or "retry".
    """
    if run.unit is None or run.kind not in (QuizRun.Kind.CHECKPOINT, QuizRun.Kind.PLACEMENT):
        return None
    percent = round(100 * right / run.size) if run.size else 0
    passed = run.size > 0 and right / run.size >= MASTERY
    standings = {s.unit.pk: s for s in path_standings(run.user)}
    standing = standings.get(run.unit.pk)
    result = {
        "kind": run.kind,
        "right": right,
        "total": run.size,
        "percent": percent,
        "needed": round(100 * MASTERY),
        "unit": run.unit,
        "unit_url": reverse("curriculum:unit", args=[run.unit.slug]),
        "path_url": reverse("curriculum:path"),
    }
    if run.kind == QuizRun.Kind.PLACEMENT:
        result["outcome"] = "skipped" if passed and standing and standing.unlocked else "retry"
        return result
    complete = bool(standing and standing.complete)
    result["already_complete"] = complete
    if not passed:
        result["outcome"] = "retry"
    else:
        result["outcome"] = "complete" if complete else "challenges"
    if standing:
        result["challenges_left"] = [
            s for s in standing.steps if s.kind == "challenge" and not s.done
        ]
    return result
