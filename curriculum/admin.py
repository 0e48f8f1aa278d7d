from django.contrib import admin

from curriculum.models import Lesson, Misconception, Topic, Unit, UnitProgress


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "order")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "slug", "topic", "is_active")
    list_filter = ("is_active", "topic")


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("unit", "words")
    readonly_fields = ("blocks",)


@admin.register(Misconception)
class MisconceptionAdmin(admin.ModelAdmin):
    list_display = ("slug", "belief", "reference", "is_active")
    search_fields = ("slug", "belief")


@admin.register(UnitProgress)
class UnitProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "checkpoint_best", "completed_at", "completed_via")
    list_filter = ("completed_via",)
    raw_id_fields = ("user",)
