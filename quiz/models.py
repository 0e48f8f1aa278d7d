from django.conf import settings
from django.db import models
from django.utils import timezone

from curriculum.models import Misconception, Topic, Unit


class Question(models.Model):
    """One question of the bank. `data` is the validated YAML entry that quiz.questions scores against.

    A question removed from the YAML is deactivated, not deleted, so learners' answers survive.
    """

    class Type(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTI = "multi", "Multiple select"
        TRUEFALSE = "truefalse", "True or false"
        TYPED = "typed", "Typed answer"
        SPOT_LINE = "spot_line", "Spot the line"
        MATCH = "match", "Matching"

    slug = models.SlugField(max_length=100, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    type = models.CharField(max_length=12, choices=Type.choices)
    difficulty = models.PositiveSmallIntegerField()
    prompt = models.TextField()
    explanation = models.TextField()
    reference = models.CharField(max_length=300)
    data = models.JSONField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["topic__order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=3),
                name="quiz_question_difficulty_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def xp_points(self) -> int:
        return 5 + 5 * self.difficulty


class QuizRun(models.Model):
    """A run of up to ten questions, answered one at a time; unfinished runs resume."""

    class Kind(models.TextChoices):
        TOPIC = "topic", "Topic"
        MIXED = "mixed", "Mixed"
        PRACTICE = "practice", "Practice of mistakes"
        CHECKPOINT = "checkpoint", "Checkpoint"
        PLACEMENT = "placement", "Placement check"
        BELIEF = "belief", "Practice of a misconception"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_runs"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quiz_runs",
        help_text="The unit a checkpoint checks, or the unit a placement check leads to.",
    )
    misconception = models.ForeignKey(
        Misconception, null=True, blank=True, on_delete=models.SET_NULL, related_name="quiz_runs"
    )
    question_ids = models.JSONField(help_text="Question primary keys in the order they are asked.")
    layout = models.JSONField(
        default=dict, help_text="Per question id: the shuffled display order of its options."
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "finished_at"])]
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} run {self.pk} of user {self.user_id}"

    @property
    def size(self) -> int:
        return len(self.question_ids)

    @property
    def title(self) -> str:
        if self.kind == self.Kind.TOPIC and self.topic:
            return self.topic.title
        if self.kind == self.Kind.CHECKPOINT and self.unit:
            return f"Checkpoint: {self.unit.title}"
        if self.kind == self.Kind.PLACEMENT and self.unit:
            return f"Placement check: skip to unit {self.unit.number}"
        if self.kind == self.Kind.BELIEF and self.misconception:
            return f"Practice: {self.misconception.belief}"
        return self.get_kind_display()


class Answer(models.Model):
    run = models.ForeignKey(QuizRun, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_answers"
    )
    position = models.PositiveSmallIntegerField()
    given = models.JSONField()
    correct = models.BooleanField()
    fraction = models.FloatField()
    detail = models.CharField(max_length=300, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "question"], name="quiz_answer_once_per_run"),
            models.UniqueConstraint(
                fields=["run", "position"], name="quiz_answer_one_per_position"
            ),
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.question_id} in run {self.run_id}: {'right' if self.correct else 'wrong'}"


class QuestionProgress(models.Model):
    """A learner's standing on one question: its latest result and its place in the practice queue.

    Practice uses Leitner boxes: a miss puts the question in box 1, due at once;
    each right answer in a later run moves it up a box and further out
    (see curriculum.review.INTERVALS); three such passes and it leaves the queue.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_progress"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="progress")
    last_correct = models.BooleanField()
    times_answered = models.PositiveIntegerField(default=0)
    times_correct = models.PositiveIntegerField(default=0)
    in_practice = models.BooleanField(default=False)
    box = models.PositiveSmallIntegerField(default=0)
    practice_passes = models.PositiveSmallIntegerField(default=0)
    last_pass_run = models.ForeignKey(
        QuizRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="quiz_progress_once_per_question"
            )
        ]
        indexes = [models.Index(fields=["user", "in_practice", "due_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.question_id}"
