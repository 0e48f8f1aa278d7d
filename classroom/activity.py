"""The learner's recent XP awards in words: what each award was for, by title, not by key.

An award's `source` is a stable key (`challenge:methods-head`, `quiz:codes-created`,
`badge:first-solve`, `quiz-perfect:methods:2026-03-02`). This module reads the titles
those keys stand for in one query per kind, so the feed costs the same however long it is.
"""

from dataclasses import dataclass
from datetime import datetime

from accounts.badges import badge_get
from accounts.selectors import recent_awards
from challenges.models import Challenge
from curriculum.models import Topic
from quiz.models import Question


@dataclass(frozen=True)
class Activity:
    points: int
    awarded_at: datetime
    action: str  # what earned it, in words: "solving", "a right answer in the Methods quiz"
    title: str  # the title after the action, shown emphasised; may be ""


def recent_activity(user, limit: int = 10) -> list[Activity]:
    """The learner's latest awards, newest first, each with the title of what earned it."""
    awards = list(recent_awards(user, limit))
    keys = [award.source.split(":") for award in awards]
    challenges = dict(
        Challenge.objects.filter(slug__in=[k[1] for k in keys if k[0] == "challenge"]).values_list(
            "slug", "title"
        )
    )
    questions = dict(
        Question.objects.filter(slug__in=[k[1] for k in keys if k[0] == "quiz"]).values_list(
            "slug", "topic__title"
        )
    )
    topics = dict(
        Topic.objects.filter(slug__in=[k[1] for k in keys if k[0] == "quiz-perfect"]).values_list(
            "slug", "title"
        )
    )
    return [
        Activity(award.points, award.awarded_at, *_words(key, challenges, questions, topics))
        for award, key in zip(awards, keys, strict=True)
    ]


def _words(key: list[str], challenges, questions, topics) -> tuple[str, str]:
    kind, name = key[0], key[1] if len(key) > 1 else ""
    if kind == "challenge":
        return "solving", challenges.get(name, name)
    if kind == "quiz":
        topic = questions.get(name)
        return (f"a right answer in the {topic} quiz" if topic else "a right quiz answer"), ""
    if kind == "quiz-perfect":
        topic = topics.get(name)
        return (f"a perfect quiz run in {topic}" if topic else "a perfect quiz run"), ""
    if kind == "badge":
        badge = badge_get(name)
        return "the badge", badge.name if badge else name
    return "your activity", ""
