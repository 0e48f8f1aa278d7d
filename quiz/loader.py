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
from curriculum.loader import curriculum_topics
from quiz.models import Question
from quiz.questions import ContentError, load_question_bank

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
    """Validate every file in `directory`, then upsert its questions; return counts.

    Topics are the curriculum's: curriculum_topics_load() must have run first.
    """
    directory = directory or CONTENT_DIR
    topics, questions = load_question_bank(directory)
    topic_rows = curriculum_topics(topics, questions, directory, ContentError)
    with transaction.atomic():
        # Once committed, every process drops what it built from the old content.
        transaction.on_commit(content_version_bump)
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
