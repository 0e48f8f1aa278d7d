"""The learner's review page: what spaced review brings back today."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from classroom.review import review_summary


@require_GET
@login_required
def review(request):
    """Missed questions due (one practice run) and failed challenges due, or when the next comes."""
    return render(request, "classroom/review.html", {"review": review_summary(request.user)})
