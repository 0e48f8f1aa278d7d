"""Challenge work that reveals a misconception: failed linked checks, and requests whose
diagnostics the misconception lists."""

from django.db.models import Prefetch
from django.urls import reverse

from accounts.models import User
from accounts.redaction import sandbox_key_redacted
from challenges.misconception_links import revealed_by_results
from challenges.models import Challenge, RecordedExchange, Submission
from challenges.selectors import active_challenges
from curriculum.evidence import Evidence
from curriculum.misconceptions import revealed_by_diagnostics

# The newest rows looked at: enough to show a pattern, bounded for the dashboard.
ROWS_LOOKED_AT = 300
TARGET_CHARS = 60


def check_evidence(user: User) -> list[Evidence]:
    """Evidence from the learner's failed submissions, newest first."""
    failed = list(
        Submission.objects.filter(user=user, passed=False)
        .only("pk", "challenge_id", "step", "raw_request", "results", "created_at")
        .order_by("-created_at", "-pk")[:ROWS_LOOKED_AT]
    )
    # Active challenges come from the content cache (no join, no long texts read again);
    # a retired one, rarely, from one query.
    challenges = {challenge.pk: challenge for challenge in active_challenges()}
    retired = {row.challenge_id for row in failed} - challenges.keys()
    if retired:
        challenges |= Challenge.objects.in_bulk(retired)
    found = []
    for submission in failed:
        challenge = challenges[submission.challenge_id]
        if submission.step >= len(challenge.steps):
            continue  # the challenge lost steps since: the checks no longer line up
        checks = challenge.steps[submission.step]["checks"]
        revealed = revealed_by_results(
            checks,
            submission.results,
            sent=bytes(submission.raw_request),
            starter=challenge.starter,
        )
        messages = _failed_messages(checks, submission.results)
        for slug in revealed:
            found.append(
                Evidence(
                    misconception=slug,
                    source="check",
                    at=submission.created_at,
                    title=f"{challenge.title}, step {submission.step + 1}",
                    detail=messages.get(slug, ""),
                    url=reverse("challenges:submission", args=[submission.pk]),
                )
            )
    return found


def _failed_messages(checks, results) -> dict[str, str]:
    messages = {}
    for spec, result in zip(checks, results, strict=False):
        slug = spec.get("misconception")
        if slug and not result.get("passed"):
            messages.setdefault(slug, result.get("message", ""))
    return messages


def request_evidence(user: User, vocabulary: list[dict]) -> list[Evidence]:
    """Evidence from the learner's recorded requests whose root diagnostics a misconception
    lists (`vocabulary`: [{slug, diagnostics}]), newest first.

    The target is shown with the learner's sandbox key masked even to the
    learner: the dashboard is the page put up on a projector or shared in a
    screenshot, and the key is a credential (accounts.redaction).
    """
    rows = (
        RecordedExchange.objects.filter(user=user)
        .exclude(diagnostics=[])
        .only("method", "target", "diagnostics", "created_at", "user_id")
        .prefetch_related(Prefetch("submissions", queryset=Submission.objects.only("pk")))
        .order_by("-created_at", "-pk")[:ROWS_LOOKED_AT]
    )
    found = []
    for row in rows:
        roots = [d for d in row.diagnostics if not d.get("caused_by")]
        for slug in revealed_by_diagnostics(vocabulary, [d["code"] for d in roots]):
            codes = set(next(entry for entry in vocabulary if entry["slug"] == slug)["diagnostics"])
            message = next(d["message"] for d in roots if d["code"] in codes)
            submissions = list(row.submissions.all())
            found.append(
                Evidence(
                    misconception=slug,
                    source="request",
                    at=row.created_at,
                    title=_request_line(row, user),
                    detail=message,
                    url=reverse("challenges:submission", args=[submissions[0].pk])
                    if submissions
                    else "",
                )
            )
    return found


def _request_line(row: RecordedExchange, user: User) -> str:
    target = sandbox_key_redacted(row.target, user.sandbox_key)
    if len(target) > TARGET_CHARS:
        target = target[: TARGET_CHARS - 1] + "…"
    return f"{row.method or '?'} {target or '?'}"
