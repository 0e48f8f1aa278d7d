"""The learner's own pages that draw on every room: the dashboard and the data export."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.selectors import badge_case, progress_summary, xp_per_day
from challenges.models import Submission
from classroom.activity import recent_activity
from classroom.beliefs import beliefs_for
from classroom.charts import bar_chart
from classroom.mastery import topic_mastery
from classroom.review import review_summary
from classroom.selectors import assignments_for
from curriculum.selectors import continue_point
from quiz.models import Answer


@require_GET
@login_required
def dashboard(request):
    """Level, streak, badges, recent activity, mastery per topic, assignments due, XP per day,
    what is due for review and what the learner may believe."""
    user = request.user
    days = xp_per_day(user)
    context = {
        **progress_summary(user),
        "badges": badge_case(user),
        "review": review_summary(user),
        "beliefs": beliefs_for(user),
        "recent_awards": recent_activity(user),
        "mastery": topic_mastery(user),
        "assignments": assignments_for(user, due_soon_only=True)[:5],
        "chart": bar_chart(days),
        "xp_30_days": sum(points for _, points in days),
        "continue_point": continue_point(user),
    }
    return render(request, "classroom/dashboard.html", context)


@require_GET
@login_required
def my_data(request):
    """Everything the site keeps about the learner's learning, as one JSON document."""
    user = request.user
    summary = progress_summary(user)
    document = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "show_on_leaderboards": user.show_on_leaderboards,
            "date_joined": user.date_joined.isoformat(),
        },
        "progress": {
            "xp": summary["level"].xp,
            "level": summary["level"].level,
            "streak": summary["streak"],
            "best_streak": summary["best_streak"],
        },
        "xp_awards": [
            {"source": a.source, "points": a.points, "at": a.awarded_at.isoformat()}
            for a in user.xp_awards.order_by("awarded_at")
        ],
        "badges": [{"badge": b.badge, "at": b.awarded_at.isoformat()} for b in user.badges.all()],
        "quiz_answers": [
            {
                "question": a.question.slug,
                "run": a.run_id,
                "given": a.given,
                "correct": a.correct,
                "at": a.answered_at.isoformat(),
            }
            for a in Answer.objects.filter(user=user)
            .select_related("question")
            .order_by("answered_at")
        ],
        "challenge_submissions": [
            {
                "challenge": s.challenge.slug,
                "step": s.step + 1,
                "source": s.source,
                "passed": s.passed,
                "at": s.created_at.isoformat(),
                "raw_request": bytes(s.raw_request).decode("utf-8", "replace"),
                "results": s.results,
            }
            for s in Submission.objects.filter(user=user)
            .select_related("challenge")
            .order_by("created_at")
        ],
    }
    response = HttpResponse(json.dumps(document, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="httpschool-{user.username}.json"'
    return response
