"""The path (/learn/) and its unit pages.

Visitors may read the path and every lesson, locked or not: reading is how
one decides to start, and a lesson gives nothing away that a checkpoint
checks beyond what it teaches. What a lock guards is progress: a locked
unit's checkpoint cannot be started (quiz.services refuses it). Every write
(lesson read, checkpoint start) needs an account.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from curriculum.models import Unit
from curriculum.selectors import Status, active_unit, continue_point, path_standings
from curriculum.services import unit_celebrate, unit_lesson_mark_read


def _active_unit(slug: str) -> Unit:
    unit = active_unit(slug)
    if unit is None:
        raise Http404("No such unit.")
    return unit


@require_GET
def path_index(request):
    """Every unit in order with its status, the learner's place, and the placement offer."""
    standings = path_standings(request.user)
    context = {
        "standings": standings,
        "done": sum(standing.complete for standing in standings),
        "continue_point": continue_point(request.user, standings),
        "placement_units": [s.unit for s in standings if s.status == Status.LOCKED],
    }
    return render(request, "curriculum/path.html", context)


def _unit_context(user, unit: Unit) -> dict:
    standings = path_standings(user)
    index = next(i for i, standing in enumerate(standings) if standing.unit.pk == unit.pk)
    following = standings[index + 1] if index + 1 < len(standings) else None
    return {
        "unit": unit,
        "standing": standings[index],
        "next_standing": following,
        "continue_point": continue_point(user, standings),
    }


@require_GET
def unit_detail(request, slug: str):
    """A unit's lesson blocks, then its steps; the unit-complete moment shows once."""
    unit = _active_unit(slug)
    context = _unit_context(request.user, unit)
    if request.htmx:
        return render(request, "curriculum/unit.html#steps", context)
    # Only the full page has the moment, so only it may use it up.
    if request.user.is_authenticated and context["standing"].complete:
        context["celebrate"] = unit_celebrate(user=request.user, unit=unit)
    return render(request, "curriculum/unit.html", context)


@require_POST
@login_required
def lesson_read(request, slug: str):
    """Mark the lesson read; htmx gets the refreshed steps, others the unit page at its steps."""
    unit = _active_unit(slug)
    unit_lesson_mark_read(user=request.user, unit=unit)
    if request.htmx:
        context = {**_unit_context(request.user, unit), "just_read": True}
        return render(request, "curriculum/unit.html#steps", context)
    return redirect(reverse("curriculum:unit", args=[unit.slug]) + "#steps")
