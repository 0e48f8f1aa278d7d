from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from classroom.selectors import global_leaderboard


@require_GET
@login_required
def index(request):
    """The learner's study groups."""
    return render(request, "classroom/index.html")


@require_GET
def leaderboard(request):
    """The global all-time leaderboard (top 50 of those who opted in)."""
    return render(request, "classroom/leaderboard.html", {"rows": global_leaderboard()})
