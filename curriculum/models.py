"""The one curriculum: topics, the ordered units of the path, their lessons, misconceptions.

Everything but UnitProgress is content, loaded from curriculum/content/ by
curriculum.loader with stable slugs. Quiz questions and challenges point at
Topic; a unit names its checkpoint's questions and challenges by slug, so this
app never needs to import the apps above it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Topic(models.Model):
    """One subject of HTTP, shared by questions, challenges and units."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=100)
    summary = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title


class Unit(models.Model):
    """One step of the path: a lesson, then a checkpoint of questions and challenges.

    A unit gone from the content is deactivated, so learners' progress on it stays.
    """

    slug = models.SlugField(max_length=100, unique=True)
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    summary = models.TextField()
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="units")
    checkpoint_questions = models.JSONField(default=list, help_text="Quiz question slugs.")
    checkpoint_challenges = models.JSONField(default=list, help_text="Challenge slugs.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(is_active=True),
                name="curriculum_unit_number_once",
            )
        ]

    def __str__(self) -> str:
        return f"Unit {self.number}: {self.title}"


class Lesson(models.Model):
    """A unit's reading: ordered blocks of text, diagrams and try-it boxes (validated data)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="lesson")
    blocks = models.JSONField()
    words = models.PositiveIntegerField(help_text="Words of prose, for the reading time.")

    def __str__(self) -> str:
        return f"Lesson of {self.unit}"

    @property
    def minutes(self) -> int:
        """Reading time at about 200 words a minute, never under one."""
        return max(1, round(self.words / 200))

    @property
    def try_its(self) -> list[dict]:
        return [block["try"] for block in self.blocks if "try" in block]


class Misconception(models.Model):
    """A wrong belief about HTTP that answers and requests can reveal, with its correction."""

    slug = models.SlugField(max_length=100, unique=True)
    belief = models.CharField(max_length=200)
    correction = models.TextField()
    reference = models.CharField(max_length=100)
    diagnostics = models.JSONField(
        default=list, help_text="Sandbox diagnostic codes that reveal this belief."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.belief


class UnitProgress(models.Model):
    """Where one learner stands on one unit.

    `completed_at` is set once (curriculum.services guards it with a conditional
    update), so the unit's badge and its moment happen exactly once.
    """

    class Via(models.TextChoices):
        PATH = "path", "Worked through"
        PLACEMENT = "placement", "Placement check"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_progress"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="progress")
    lesson_done_at = models.DateTimeField(null=True, blank=True)
    tries_sent = models.JSONField(default=list, help_text="Slugs of try-it boxes sent.")
    checkpoint_best = models.FloatField(default=0.0)
    checkpoint_attempts = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_via = models.CharField(max_length=10, choices=Via.choices, blank=True)
    celebrated = models.BooleanField(
        default=False, help_text="The unit-complete moment has been shown."
    )
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="curriculum_unit_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.unit_id}"
