from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def index(request):
    """The list of quiz topics."""
    return render(request, "quiz/index.html")
