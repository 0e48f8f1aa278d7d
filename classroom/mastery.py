"""One mastery view per topic: the quiz and the challenges of a topic counted together.

A topic's mastery is (questions right at the latest try + challenges solved)
divided by (active questions + active challenges): every question and every
challenge weighs the same, so a topic of twelve questions and three challenges
is mostly its quiz, as it is mostly quiz when studied. Topics with neither are
left out. The catalogue parts (topics, totals, units) come from content memos;
a learner's own figures are three queries however many topics there are.
"""

from dataclasses import dataclass

from accounts.content_version import ContentMemo
from accounts.models import User
from challenges.selectors import challenge_board
from curriculum.models import Topic, Unit
from quiz.models import QuizRun
from quiz.selectors import topic_masteries

_units = ContentMemo(max_entries=4)


@dataclass(frozen=True)
class TopicMasteryView:
    topic: Topic
    questions_mastered: int
    questions_total: int
    challenges_solved: int
    challenges_total: int
    units: tuple[Unit, ...]
    unfinished_run: QuizRun | None = None

    @property
    def done(self) -> int:
        return self.questions_mastered + self.challenges_solved

    @property
    def total(self) -> int:
        return self.questions_total + self.challenges_total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def units_by_topic() -> dict[int, tuple[Unit, ...]]:
    """topic id -> the active units whose primary topic it is, in path order; once per content version."""

    def build() -> dict[int, tuple[Unit, ...]]:
        grouped: dict[int, list[Unit]] = {}
        for unit in Unit.objects.filter(is_active=True).order_by("number"):
            grouped.setdefault(unit.topic_id, []).append(unit)
        return {topic_id: tuple(units) for topic_id, units in grouped.items()}

    return _units.get_or_build("by-topic", build)


def topic_mastery(user: User) -> list[TopicMasteryView]:
    """Every topic with questions or challenges, in curriculum order, with the learner's figures."""
    topics: dict[int, Topic] = {}
    quiz = {}
    for mastery in topic_masteries(user):
        topics[mastery.topic.pk] = mastery.topic
        quiz[mastery.topic.pk] = mastery
    challenges = {}
    for row in challenge_board(user):
        topics.setdefault(row.topic.pk, row.topic)
        challenges[row.topic.pk] = row
    units = units_by_topic()
    views = []
    for topic in sorted(topics.values(), key=lambda t: (t.order, t.slug)):
        q, c = quiz.get(topic.pk), challenges.get(topic.pk)
        views.append(
            TopicMasteryView(
                topic=topic,
                questions_mastered=q.mastered if q else 0,
                questions_total=q.total if q else 0,
                challenges_solved=c.solved if c else 0,
                challenges_total=len(c.challenges) if c else 0,
                units=units.get(topic.pk, ()),
                unfinished_run=q.unfinished_run if q else None,
            )
        )
    return views
