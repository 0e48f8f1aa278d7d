from django.db.models import Sum

from accounts.models import User


def xp_total(user: User) -> int:
    """Return the learner's all-time XP."""
    return user.xp_awards.aggregate(total=Sum("points"))["total"] or 0


def recent_awards(user: User, limit: int = 10):
    """Return the learner's latest XP awards, newest first."""
    return user.xp_awards.all()[:limit]
