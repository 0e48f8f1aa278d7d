from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from accounts.content_version import ContentMemo
from accounts.models import User
from curriculum.models import Topic
from quiz.models import Question, QuestionProgress, QuizRun


@dataclass(frozen=True)
class TopicMastery:
    topic: Topic
    total: int
    mastered: int
    unfinished_run: QuizRun | None

    @property
    def percent(self) -> int:
        return round(100 * self.mastered / self.total) if self.total else 0


_topics = ContentMemo(max_entries=4)  # the topics and the active questions


def quiz_topics() -> tuple[Topic, ...]:
    """Topics with at least one active question, each annotated with `total`; once per content version.

    The instances are shared by every request of the process: read them, never change them.
    """
    return _topics.get_or_build(
        "with-totals",
        lambda: tuple(
            Topic.objects.annotate(
                total=Count("questions", filter=Q(questions__is_active=True))
            ).filter(total__gt=0)
        ),
    )


def question_by_pk(pk: int) -> Question:
    """The question, from the content cache when active (shared: read only), else the database
    (a run keeps the questions it drew, even one retired since). Raises Question.DoesNotExist."""
    active = _topics.get_or_build(
        "questions-by-pk", lambda: {q.pk: q for q in Question.objects.filter(is_active=True)}
    )
    return active.get(pk) or Question.objects.get(pk=pk)


def topic_masteries(user: User) -> list[TopicMastery]:
    """Return each topic with its active question count and how many the learner got right last time."""
    topics = quiz_topics()
    mastered = {}
    unfinished = {}
    if user.is_authenticated:
        mastered = dict(
            QuestionProgress.objects.filter(user=user, last_correct=True, question__is_active=True)
            .values_list("question__topic")
            .annotate(n=Count("pk"))
        )
        # `answered` saves the page one count per unfinished run.
        for run in QuizRun.objects.filter(
            user=user, kind=QuizRun.Kind.TOPIC, finished_at__isnull=True
        ).annotate(answered=Count("answers")):
            unfinished[run.topic_id] = run
    return [TopicMastery(t, t.total, mastered.get(t.pk, 0), unfinished.get(t.pk)) for t in topics]


def practice_counts(user: User) -> tuple[int, int]:
    """(due now, in the queue) of the learner's practice queue, in one query."""
    counts = QuestionProgress.objects.filter(
        user=user, in_practice=True, question__is_active=True
    ).aggregate(due=Count("pk", filter=Q(due_at__lte=timezone.now())), total=Count("pk"))
    return counts["due"], counts["total"]
