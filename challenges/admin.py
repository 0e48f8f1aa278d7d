import json

from django.contrib import admin

from accounts.redaction import sandbox_key_redacted
from challenges.models import (
    Challenge,
    ChallengeProgress,
    ChallengeSolve,
    RecordedExchange,
    Submission,
)


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "topic", "difficulty", "points", "is_active")
    list_filter = ("topic", "difficulty", "is_active")
    search_fields = ("slug", "title")


@admin.register(ChallengeProgress)
class ChallengeProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "challenge", "status", "current_step", "attempts")
    raw_id_fields = ("user", "challenge")


@admin.register(ChallengeSolve)
class ChallengeSolveAdmin(admin.ModelAdmin):
    list_display = ("user", "challenge", "points", "solved_at")
    raw_id_fields = ("user", "challenge")


def _masked(owner, value) -> str:
    """`value` as text, with `owner`'s sandbox key hidden: a key is a credential, and
    staff reading the admin are not its owner (see accounts/redaction.py)."""
    text = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)
    return sandbox_key_redacted(text, owner.sandbox_key)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "challenge", "step", "source", "passed", "created_at")
    list_filter = ("source", "passed")
    raw_id_fields = ("user", "challenge", "exchanges")
    exclude = ("results",)
    readonly_fields = ("results_shown",)

    @admin.display(description="results (learner key hidden)")
    def results_shown(self, submission):
        return _masked(submission.user, submission.results)


@admin.register(RecordedExchange)
class RecordedExchangeAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "source", "method", "target_shown", "status", "created_at")
    list_filter = ("source", "status")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    exclude = ("target", "diagnostics", "request_data", "response_data")
    readonly_fields = ("target_shown", "diagnostics_shown", "request_shown", "response_shown")

    @admin.display(description="target")
    def target_shown(self, exchange):
        return _masked(exchange.user, exchange.target)

    @admin.display(description="diagnostics (learner key hidden)")
    def diagnostics_shown(self, exchange):
        return _masked(exchange.user, exchange.diagnostics)

    @admin.display(description="request (learner key hidden)")
    def request_shown(self, exchange):
        return _masked(exchange.user, exchange.request_data)

    @admin.display(description="response (learner key hidden)")
    def response_shown(self, exchange):
        return _masked(exchange.user, exchange.response_data)
