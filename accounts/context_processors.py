from accounts.selectors import DailyGoal, header_state, unseen_badges


def new_badges(request):
    """Badges earned since the learner last saw a page, to announce once (see _messages.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not header_state(user).has_unseen_badges:
        return {"new_badges": []}
    return {"new_badges": unseen_badges(user)}


def daily_goal(request):
    """Today's XP against the goal, for the header; the sum runs only if the page renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"daily_goal": DailyGoal(user)}
