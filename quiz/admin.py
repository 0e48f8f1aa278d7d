from django.contrib import admin

from quiz.models import Answer, Question, QuizRun


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("slug", "topic", "type", "difficulty", "is_active")
    list_filter = ("topic", "type", "difficulty", "is_active")
    search_fields = ("slug", "prompt")
    readonly_fields = ("data",)


@admin.register(QuizRun)
class QuizRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "kind", "topic", "started_at", "finished_at")
    list_filter = ("kind",)
    raw_id_fields = ("user",)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("run", "question", "user", "correct", "answered_at")
    raw_id_fields = ("run", "question", "user")
