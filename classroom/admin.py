from django.contrib import admin

from classroom.models import Assignment, ChallengeSet, Membership, SetItem, StudyGroup


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("user",)
    extra = 0


@admin.register(StudyGroup)
class StudyGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "join_code", "created_at")
    search_fields = ("name", "join_code")
    raw_id_fields = ("owner",)
    inlines = [MembershipInline]


class SetItemInline(admin.TabularInline):
    model = SetItem
    raw_id_fields = ("challenge", "quiz_topic")
    extra = 0


@admin.register(ChallengeSet)
class ChallengeSetAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "author", "created_at")
    inlines = [SetItemInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("challenge_set", "group", "due_at")
    raw_id_fields = ("group", "challenge_set", "assigned_by")
