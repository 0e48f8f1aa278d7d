import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from challenges.models import Challenge
from curriculum.models import Topic

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read out in class


def new_join_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


class StudyGroup(models.Model):
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_groups"
    )
    join_code = models.CharField(max_length=8, unique=True, default=new_join_code)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        INSTRUCTOR = "instructor", "Co-instructor"
        MEMBER = "member", "Member"

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="classroom_membership_once")
        ]
        indexes = [models.Index(fields=["group", "role"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} as {self.role}"

    @property
    def is_instructor(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.INSTRUCTOR)


class ChallengeSet(models.Model):
    """An ordered list of challenges and quiz topics to assign; ready-made sets have no author."""

    title = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenge_sets",
    )
    slug = models.SlugField(
        max_length=80, null=True, blank=True, unique=True, help_text="Ready-made sets only."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready_made(self) -> bool:
        return self.slug is not None


class SetItem(models.Model):
    """One item of a set: a challenge, or a quiz topic (done with a finished run of 8+/10 right)."""

    challenge_set = models.ForeignKey(ChallengeSet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    challenge = models.ForeignKey(
        Challenge, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    quiz_topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge_set", "position"], name="classroom_item_position_once"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(challenge__isnull=False, quiz_topic__isnull=True)
                    | models.Q(challenge__isnull=True, quiz_topic__isnull=False)
                ),
                name="classroom_item_is_challenge_or_topic",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.challenge.title if self.challenge_id else f"Quiz: {self.quiz_topic.title}"


class Assignment(models.Model):
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="assignments")
    challenge_set = models.ForeignKey(
        ChallengeSet, on_delete=models.PROTECT, related_name="assignments"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "challenge_set"], name="classroom_assign_set_once_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenge_set} for {self.group}"
