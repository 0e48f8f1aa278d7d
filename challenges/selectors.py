from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from accounts.content_version import ContentMemo
from accounts.models import User
from challenges.models import Challenge, ChallengeProgress, ChallengeSolve, Submission
from curriculum.models import Topic
from curriculum.registry import ChallengeFact


@dataclass(frozen=True)
class TopicRow:
    topic: Topic
    challenges: list  # of (Challenge, status)

    @property
    def solved(self) -> int:
        return sum(status == ChallengeProgress.Status.SOLVED for _, status in self.challenges)

    @property
    def percent(self) -> int:
        return round(100 * self.solved / len(self.challenges)) if self.challenges else 0


_catalogue = ContentMemo(max_entries=4)


def active_challenges() -> tuple[Challenge, ...]:
    """Every active challenge with its topic, in catalogue order; built once per content version.

    The instances are shared by every request of the process: read them, never change them.
    """
    return _catalogue.get_or_build(
        "active",
        lambda: tuple(Challenge.objects.filter(is_active=True).select_related("topic")),
    )


def catalogue_challenge(slug: str) -> Challenge | None:
    """The active challenge with this slug, from the catalogue (shared: read only), or None."""
    by_slug = _catalogue.get_or_build(
        "by-slug", lambda: {challenge.slug: challenge for challenge in active_challenges()}
    )
    return by_slug.get(slug)


def challenge_board(user: User) -> list[TopicRow]:
    """Return every topic with its active challenges and the learner's status on each.

    The catalogue comes from the content cache; only the learner's statuses are queried.
    """
    statuses = {}
    if user.is_authenticated:
        statuses = dict(
            ChallengeProgress.objects.filter(user=user).values_list("challenge_id", "status")
        )
    rows: dict[int, TopicRow] = {}
    for challenge in active_challenges():
        row = rows.setdefault(challenge.topic_id, TopicRow(challenge.topic, []))
        row.challenges.append((challenge, statuses.get(challenge.pk, ChallengeProgress.Status.NEW)))
    return list(rows.values())


def path_challenge_facts(user, slugs) -> dict[str, ChallengeFact]:
    """Titles and solved state of challenges, for curriculum's path (see curriculum.registry).

    Titles come from the catalogue (content cache); only the learner's solves are queried.
    """
    slugs = set(slugs)
    titles = {c.slug: c.title for c in active_challenges() if c.slug in slugs}
    if len(titles) < len(slugs):  # a retired challenge still named by a unit
        titles.update(
            Challenge.objects.filter(slug__in=slugs - set(titles)).values_list("slug", "title")
        )
    solved = set()
    if getattr(user, "is_authenticated", False) and slugs:
        solved = set(
            ChallengeSolve.objects.filter(user=user, challenge__slug__in=slugs).values_list(
                "challenge__slug", flat=True
            )
        )
    return {slug: ChallengeFact(title, slug in solved) for slug, title in titles.items()}


def step_history(user: User, challenge: Challenge, limit: int = 50):
    """The learner's own submissions on a challenge, newest first, with their exchanges."""
    return (
        Submission.objects.filter(user=user, challenge=challenge)
        .prefetch_related("exchanges")
        .order_by("-pk")[:limit]
    )


def passed_steps(user: User, challenge: Challenge, progress: ChallengeProgress) -> list:
    """For each step before the current one, the results of its latest passing submission."""
    results = []
    for step in range(progress.current_step):
        submission = (
            Submission.objects.filter(user=user, challenge=challenge, step=step, passed=True)
            .order_by("-pk")
            .first()
        )
        results.append(submission.results if submission else [])
    return results


def sandbox_address(user: User) -> dict:
    """The learner's personal TCP sandbox host and port, for the curl command on the page."""
    host = f"{user.sandbox_key}.{settings.SANDBOX_PUBLIC_HOST}"
    return {
        "host": host,
        "port": settings.SANDBOX_PORT,
        "url": f"http://{host}:{settings.SANDBOX_PORT}",
    }


@cache
def sandbox_reference() -> str:
    """The sandbox API reference (Markdown), as shipped beside the sandbox code."""
    return (Path(__file__).resolve().parent / "sandbox" / "API.md").read_text(encoding="utf-8")
