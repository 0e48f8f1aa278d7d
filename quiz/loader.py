"""Load the question bank from quiz/content/*.yaml into the database.

Everything is validated first (quiz.questions raises ContentError naming the
file and entry), then written in one transaction, so a bad file changes
nothing. Slugs are stable keys: a reload updates questions in place and keeps
learners' answers; a question gone from the YAML is deactivated, not deleted.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts.content_version import content_version_bump
from quiz.models import Question, Topic
from quiz.questions import load_question_bank

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class QuizLoadSummary:
    topics: int
    questions: int
    created: int
    updated: int
    deactivated: int

    def __str__(self) -> str:
        return (
            f"{self.questions} questions in {self.topics} topics "
            f"({self.created} new, {self.updated} updated, {self.deactivated} retired)"
        )


def quiz_bank_load(directory: Path | None = None) -> QuizLoadSummary:
    """Validate every file in `directory`, then upsert topics and questions; return counts."""
    topics, questions = load_question_bank(directory or CONTENT_DIR)
    with transaction.atomic():
        # Once committed, every process drops what it built from the old content.
        transaction.on_commit(content_version_bump)
        topic_rows = {topic["slug"]: _upsert_topic(topic) for topic in topics}
        created = updated = 0
        for question in questions:
            _, was_created = Question.objects.update_or_create(
                slug=question["slug"],
                defaults={
                    "topic": topic_rows[question["topic"]],
                    "type": question["type"],
                    "difficulty": question["difficulty"],
                    "prompt": question["prompt"],
                    "explanation": question["explanation"],
                    "reference": question["reference"],
                    "data": question,
                    "is_active": True,
                },
            )
            created += was_created
            updated += not was_created
        slugs = [question["slug"] for question in questions]
        deactivated = (
            Question.objects.filter(is_active=True).exclude(slug__in=slugs).update(is_active=False)
        )
    return QuizLoadSummary(len(topics), len(questions), created, updated, deactivated)


def _upsert_topic(topic: dict) -> Topic:
    row, _ = Topic.objects.update_or_create(
        slug=topic["slug"],
        defaults={"title": topic["title"], "summary": topic["summary"], "order": topic["order"]},
    )
    return row
