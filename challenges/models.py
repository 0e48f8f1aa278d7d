from django.conf import settings
from django.db import models
from django.utils import timezone

from curriculum.models import Topic


class SandboxState(models.Model):
    """One learner's bookshop: the JSON state the sandbox API answers from.

    `version` is bumped on every write; a writer that read an older version
    must retry, so two concurrent requests never overwrite each other's change.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_state"
    )
    data = models.JSONField()
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sandbox state of {self.user_id} (v{self.version})"


class RecordedExchange(models.Model):
    """One request and the sandbox's answer, exactly as bytes, with what the linter found."""

    class Source(models.TextChoices):
        EDITOR = "editor", "Browser editor"
        TCP = "tcp", "TCP server"
        CLI = "cli", "rawhttp command"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_exchanges"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    raw_request = models.BinaryField()
    raw_response = models.BinaryField()
    diagnostics = models.JSONField(default=list)
    method = models.CharField(max_length=32, blank=True)
    target = models.CharField(max_length=300, blank=True)
    status = models.PositiveSmallIntegerField()
    request_data = models.JSONField(
        null=True, blank=True, help_text="The parsed request, or null if unreadable."
    )
    response_data = models.JSONField(
        default=dict, help_text="Status, reason, headers and body of the response."
    )
    bodies_cut = models.BooleanField(
        default=False,
        help_text="A body longer than the stored limit was cut; the bytes kept are its start.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["user", "source", "-created_at"]),
            # Retention keeps each learner's newest rows: found by walking this index.
            models.Index(fields=["user", "-id"], name="challenges_exchange_newest"),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        # The path only: an absolute-form target names the learner's key, a credential
        # that the admin's titles and links must not show to staff.
        target = self.target
        if "://" in target:
            target = "/" + target.split("://", 1)[1].partition("/")[2]
        return f"{self.method or '?'} {target or '?'} -> {self.status}"

    def as_exchange(self):
        """Rebuild the sandbox Exchange this row recorded, so the grader can look at it again."""
        from challenges.sandbox.rebuild import exchange_from_record

        return exchange_from_record(
            raw_request=bytes(self.raw_request),
            raw_response=bytes(self.raw_response),
            request=self.request_data,
            response=self.response_data,
            diagnostics=self.diagnostics,
        )

    @property
    def request_text(self) -> str:
        return bytes(self.raw_request).decode("latin-1")

    @property
    def response_text(self) -> str:
        return bytes(self.raw_response).decode("latin-1")


class Challenge(models.Model):
    """A graded raw-request exercise, loaded from challenges/content/*.yaml.

    `steps` is a list of {name, checks}: the checks use the vocabulary of
    challenges.sandbox.checks. A challenge gone from the YAML is deactivated,
    so learners' submissions stay.
    """

    slug = models.SlugField(max_length=100, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="challenges")
    title = models.CharField(max_length=120)
    difficulty = models.PositiveSmallIntegerField()
    points = models.PositiveSmallIntegerField()
    brief = models.TextField()
    starter = models.TextField(blank=True)
    hints = models.JSONField(default=list)
    solution = models.JSONField(help_text="One raw request per step.")
    steps = models.JSONField()
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["topic__order", "order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=3),
                name="challenges_challenge_difficulty_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def step_count(self) -> int:
        return len(self.steps)

    @property
    def xp_source(self) -> str:
        return f"challenge:{self.slug}"

    @property
    def xp_floor(self) -> int:
        """The least XP a first solve earns, however many hints were revealed."""
        return max(1, self.points // 5)

    def xp_for(self, hints_revealed: int) -> int:
        cost = sum(hint["cost"] for hint in self.hints[:hints_revealed])
        return max(self.xp_floor, self.points - cost)


class ChallengeProgress(models.Model):
    """Where one learner stands on one challenge: step reached, hints seen, given up or solved."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        TRIED = "tried", "Tried"
        SOLVED = "solved", "Solved"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_progress"
    )
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    current_step = models.PositiveSmallIntegerField(default=0)
    hints_revealed = models.PositiveSmallIntegerField(default=0)
    gave_up = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    tcp_graded_through = models.BigIntegerField(
        default=0, help_text="Last TCP exchange id already graded."
    )
    # Spaced review (curriculum.review): a failed challenge comes back like a missed question.
    in_review = models.BooleanField(default=False)
    review_box = models.PositiveSmallIntegerField(default=0)
    review_passes = models.PositiveSmallIntegerField(default=0)
    review_due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "challenge"], name="challenges_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.challenge_id}: {self.status}"


class ChallengeSolve(models.Model):
    """The first solve of a challenge by a learner: one row, ever (the database enforces it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_solves"
    )
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="solves")
    points = models.PositiveSmallIntegerField()
    solved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "challenge"], name="challenges_solve_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} solved {self.challenge_id}"


class Submission(models.Model):
    """One attempt at one step of a challenge, with the exchanges it graded and the verdict."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_submissions"
    )
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="submissions")
    step = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=RecordedExchange.Source.choices)
    raw_request = models.BinaryField()
    exchanges = models.ManyToManyField(RecordedExchange, related_name="submissions")
    results = models.JSONField(help_text="One {check, passed, message} per check of the step.")
    passed = models.BooleanField()
    practice = models.BooleanField(
        default=False, help_text="Sent after the challenge was solved or given up."
    )
    fixed_broken = models.BooleanField(
        default=False,
        help_text="Passed a step whose previous attempt the server rejected with an error.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "challenge", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.challenge_id} step {self.step + 1}: {'pass' if self.passed else 'fail'}"
