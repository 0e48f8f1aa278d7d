from django.contrib.auth import get_user_model
from django.db.models import Max, Sum


def global_leaderboard(limit: int = 50):
    """Return learners who opted in, by all-time XP, ties broken by who reached it first."""
    users = get_user_model().objects.filter(show_on_leaderboards=True, xp_awards__isnull=False)
    return (
        users.annotate(xp=Sum("xp_awards__points"), reached_at=Max("xp_awards__awarded_at"))
        .order_by("-xp", "reached_at", "pk")
        .only("username", "display_name")[:limit]
    )
