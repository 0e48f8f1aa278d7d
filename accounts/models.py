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
