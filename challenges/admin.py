from django.contrib import admin

from challenges.models import (
    Challenge,
    ChallengeProgress,
    ChallengeSolve,
    ChallengeTopic,
    RecordedExchange,
    Submission,
)


@admin.register(ChallengeTopic)
class ChallengeTopicAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "order")


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


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "challenge", "step", "source", "passed", "created_at")
    list_filter = ("source", "passed")
    raw_id_fields = ("user", "challenge", "exchanges")


@admin.register(RecordedExchange)
class RecordedExchangeAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "source", "method", "target", "status", "created_at")
    list_filter = ("source", "status")
    raw_id_fields = ("user",)
