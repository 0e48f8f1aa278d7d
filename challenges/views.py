from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def index(request):
    """The list of challenges."""
    return render(request, "challenges/index.html")
