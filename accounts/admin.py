from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User, XpAward


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Learner",
            {"fields": ("display_name", "time_zone", "show_on_leaderboards", "sandbox_key")},
        ),
    )
    readonly_fields = ("sandbox_key",)
    list_display = ("username", "display_name", "email", "is_staff", "date_joined")


@admin.register(XpAward)
class XpAwardAdmin(admin.ModelAdmin):
    list_display = ("user", "source", "points", "awarded_at")
    list_filter = ("awarded_at",)
    search_fields = ("user__username", "source")
    raw_id_fields = ("user",)
