"""Load challenges/content/*.yaml into the database: validate all, then write in one transaction.

Slugs are stable keys: a reload updates challenges in place and keeps
learners' progress and submissions; a challenge gone from the YAML is
deactivated.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts.content_version import content_version_bump
from challenges.content_schema import ContentError, load_challenge_bank
from challenges.models import Challenge
from curriculum.loader import curriculum_topics

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class ChallengeLoadSummary:
    topics: int
    challenges: int
    created: int
    updated: int
    deactivated: int

    def __str__(self) -> str:
        return (
            f"{self.challenges} challenges in {self.topics} topics "
            f"({self.created} new, {self.updated} updated, {self.deactivated} retired)"
        )


def challenge_bank_load(directory: Path | None = None) -> ChallengeLoadSummary:
    """Validate every file in `directory`, then upsert its challenges; return counts.

    Topics are the curriculum's: curriculum_topics_load() must have run first.
    """
    directory = directory or CONTENT_DIR
    topics, challenges = load_challenge_bank(directory)
    topic_rows = curriculum_topics(topics, challenges, directory, ContentError)
    with transaction.atomic():
        # Once committed, every process drops what it built from the old content.
        transaction.on_commit(content_version_bump)
        created = 0
        for entry in challenges:
            fields = {
                key: entry[key]
                for key in (
                    "title",
                    "difficulty",
                    "points",
                    "brief",
                    "starter",
                    "hints",
                    "steps",
                    "order",
                )
            }
            fields.update(
                topic=topic_rows[entry["topic"]], solution=entry["solution"], is_active=True
            )
            _, was_created = Challenge.objects.update_or_create(slug=entry["slug"], defaults=fields)
            created += was_created
        slugs = [entry["slug"] for entry in challenges]
        deactivated = (
            Challenge.objects.filter(is_active=True).exclude(slug__in=slugs).update(is_active=False)
        )
    return ChallengeLoadSummary(
        len(topics), len(challenges), created, len(challenges) - created, deactivated
    )
