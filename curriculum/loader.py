"""Load curriculum/content/ into the database: the topic list first, the path last.

load_content (classroom) runs curriculum_topics_load() before the quiz and
challenge banks, because their entries name a topic, and curriculum_path_load()
after them, because a checkpoint names their questions and challenges. Each
validates everything before it writes, inside the caller's transaction. Slugs
are stable keys: a reload updates rows in place and keeps learners' progress;
a unit gone from the files is deactivated.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts.content_version import content_version_bump
from curriculum.content_schema import ContentError, load_topics, load_units
from curriculum.misconceptions import DEFAULT_PATH as MISCONCEPTIONS_PATH
from curriculum.misconceptions import load_misconceptions
from curriculum.models import Lesson, Misconception, Topic, Unit

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class PathLoadSummary:
    units: int
    try_its: int
    deactivated: int

    def __str__(self) -> str:
        return f"{self.units} units with {self.try_its} try-it boxes ({self.deactivated} retired)"


def curriculum_topics_load(path: Path | None = None) -> int:
    """Validate topics.yaml and upsert every topic; return how many there are."""
    topics = load_topics(path or CONTENT_DIR / "topics.yaml")
    with transaction.atomic():
        transaction.on_commit(content_version_bump)
        for topic in topics:
            Topic.objects.update_or_create(
                slug=topic["slug"],
                defaults={key: topic[key] for key in ("title", "summary", "order")},
            )
    return len(topics)


def misconceptions_load(known_codes, path: Path | None = None) -> int:
    """Validate misconceptions.yaml and upsert every misconception; return how many there are.

    `known_codes` are the sandbox's diagnostic codes: the caller (load_content,
    in classroom) passes them, since curriculum may not import the sandbox. A
    misconception gone from the file is deactivated, so the belief runs that
    name it keep their link. Raises curriculum.misconceptions.ContentError.
    """
    entries = load_misconceptions(path or MISCONCEPTIONS_PATH, known_codes)
    fields = ("belief", "correction", "reference", "diagnostics")
    with transaction.atomic():
        transaction.on_commit(content_version_bump)
        for entry in entries:
            Misconception.objects.update_or_create(
                slug=entry["slug"],
                defaults={**{key: entry[key] for key in fields}, "is_active": True},
            )
        Misconception.objects.exclude(slug__in=[e["slug"] for e in entries]).update(is_active=False)
    return len(entries)


def curriculum_path_load(
    *, question_slugs: set[str], challenge_slugs: set[str], directory: Path | None = None
) -> PathLoadSummary:
    """Validate every unit against the loaded banks, then upsert units and lessons."""
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    units = load_units(directory or CONTENT_DIR / "units", set(topics))
    for unit in units:
        _check_items(unit, "questions", question_slugs, "quiz/content")
        _check_items(unit, "challenges", challenge_slugs, "challenges/content")
    with transaction.atomic():
        transaction.on_commit(content_version_bump)
        # Numbers move when units are reordered: free them before taking them again.
        Unit.objects.filter(is_active=True).update(is_active=False)
        for unit in units:
            row, _ = Unit.objects.update_or_create(
                slug=unit["slug"],
                defaults={
                    "number": unit["number"],
                    "title": unit["title"],
                    "summary": unit["summary"],
                    "topic": topics[unit["topic"]],
                    "checkpoint_questions": unit["questions"],
                    "checkpoint_challenges": unit["challenges"],
                    "is_active": True,
                },
            )
            Lesson.objects.update_or_create(
                unit=row, defaults={"blocks": unit["blocks"], "words": unit["words"]}
            )
        deactivated = Unit.objects.filter(is_active=False).count()
    try_its = sum(1 for unit in units for block in unit["blocks"] if "try" in block)
    return PathLoadSummary(len(units), try_its, deactivated)


def _check_items(unit: dict, name: str, known: set[str], where: str) -> None:
    missing = [slug for slug in unit[name] if slug not in known]
    if missing:
        raise ContentError(
            unit["path"], "checkpoint", f"{name} {', '.join(missing)} not found in {where}"
        )


def curriculum_topics(slugs, entries, directory, error_class) -> dict[str, Topic]:
    """The Topic rows for `slugs`, for a bank's loader; an entry naming an unknown topic raises.

    `error_class(path, entry, problem)` is the bank's own ContentError, so the
    message names the bank's directory and the entry's slug.
    """
    rows = Topic.objects.in_bulk(slugs, field_name="slug")
    for entry in entries:
        if entry["topic"] not in rows:
            raise error_class(
                directory,
                entry["slug"],
                f"topic {entry['topic']!r} is not in curriculum/content/topics.yaml",
            )
    return rows
