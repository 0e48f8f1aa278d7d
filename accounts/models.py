import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

_KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: keys are read aloud and typed


def new_sandbox_key() -> str:
    """Return a fresh personal sandbox key, safe as a DNS label (lowercase, 12 chars)."""
    return "k" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(11))


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class User(AbstractUser):
    """A learner (and possibly an instructor). Username logs in; display name is shown."""

    display_name = models.CharField(max_length=60, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    show_on_leaderboards = models.BooleanField(
        "show me on public leaderboards",
        default=True,
        help_text="When off, you are hidden from global boards and shown as an anonymous learner in groups.",
    )
    sandbox_key = models.CharField(
        max_length=16, unique=True, default=new_sandbox_key, editable=False
    )
    daily_goal_xp = models.PositiveSmallIntegerField(
        "daily goal (XP)",
        default=30,
        help_text="How much XP you aim to earn each day; shown in the header.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message="An account with this email address already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name other people see: the display name, or the username when none is set."""
        return self.display_name or self.username

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class XpAward(models.Model):
    """One award of XP: a row per (learner, source), so a source can pay out only once.

    `source` names what earned it, e.g. `quiz:methods-put-twice` or `challenge:revalidate-with-etag`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xp_awards"
    )
    source = models.CharField(max_length=200)
    points = models.PositiveIntegerField()
    awarded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source"], name="accounts_xpaward_once_per_source"
            ),
        ]
        indexes = [models.Index(fields=["user", "-awarded_at"])]
        ordering = ["-awarded_at"]

    def __str__(self) -> str:
        return f"{self.points} XP to {self.user_id} for {self.source}"


class LearnerTotals(models.Model):
    """XP and streak figures kept up to date with every award, so boards never sum the ledger.

    `*_reached_at` is when the learner reached the current figure: on equal XP,
    whoever got there first ranks higher.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totals"
    )
    listed = models.BooleanField(
        default=True, help_text="A copy of show_on_leaderboards, so global boards need no join."
    )
    xp = models.PositiveIntegerField(default=0)
    xp_reached_at = models.DateTimeField(default=timezone.now)
    week_start = models.DateField(
        null=True, blank=True, help_text="Monday (UTC) of the week week_xp counts."
    )
    week_xp = models.PositiveIntegerField(default=0)
    week_reached_at = models.DateTimeField(default=timezone.now)
    streak = models.PositiveIntegerField(default=0)
    best_streak = models.PositiveIntegerField(default=0)
    last_active_day = models.DateField(
        null=True, blank=True, help_text="In the learner's own time zone."
    )

    class Meta:
        indexes = [
            models.Index(fields=["-xp", "xp_reached_at"], name="totals_alltime_rank"),
            models.Index(
                fields=["week_start", "-week_xp", "week_reached_at"], name="totals_week_rank"
            ),
            models.Index(fields=["listed", "-xp", "xp_reached_at"], name="totals_listed_rank"),
            models.Index(
                fields=["listed", "week_start", "-week_xp", "week_reached_at"],
                name="totals_listed_week_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.xp} XP"


class ActivityDay(models.Model):
    """A day (in the learner's time zone) on which they answered a question or sent a request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_days"
    )
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="accounts_activity_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} active on {self.day}"


class BadgeAward(models.Model):
    """A badge earned, once. `seen` turns true once the learner has been told about it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )
    badge = models.CharField(max_length=40)
    awarded_at = models.DateTimeField(default=timezone.now)
    seen = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "badge"], name="accounts_badge_once")
        ]
        ordering = ["awarded_at"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.badge}"
