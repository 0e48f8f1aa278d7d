"""The lessons' try-it boxes post here: run the request in the learner's sandbox, show the answer.

No grading and no XP: the box teaches by letting the learner see what comes
back. The result is the same annotated request and raw response a challenge
attempt shows; htmx gets it as a fragment for the box's own result area, a
plain form post gets a small page with a link back to the lesson.
"""

from urllib.parse import quote

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from challenges.forms import SendForm
from challenges.presenters import annotated_lines, curl_command, editor_diagnostics
from challenges.selectors import sandbox_address
from challenges.submissions import SubmissionRefused
from challenges.tries import try_send
from curriculum.services_try import TryBox, unit_try_find, unit_try_record


@require_POST
def try_view(request):
    """Send a try-it box's raw request; answer with the annotated exchange (fragment or page)."""
    box = unit_try_find(request.POST.get("unit", ""), request.POST.get("try", ""))
    context = {"box": box, "back_url": _lesson_url(box)}
    if not request.user.is_authenticated:
        login = reverse("accounts:login")
        context["login_url"] = f"{login}?next={quote(context['back_url'])}"
        # htmx swaps only the statuses base.html lists, so the fragment's message comes as 200.
        return _render(request, context, 200 if request.htmx else 403)
    form = SendForm(request.POST)
    if not form.is_valid():
        context["refusal"] = (
            "The form was incomplete: choose how to send line endings and try again."
        )
        return _render(request, context, 400)
    data = form.raw_bytes()
    try:
        rows = try_send(user=request.user, data=data)
    except SubmissionRefused as refusal:
        context["refusal"] = str(refusal)
        return _render(request, context, refusal.status)
    if box is not None:
        unit_try_record(user=request.user, box=box)
    context.update(_exchange_context(request.user, data, rows))
    return _render(request, context, 200)


def _exchange_context(user, data: bytes, rows) -> dict:
    diagnostics = [d for row in rows for d in row.diagnostics]
    return {
        "exchanges": rows,
        "lines": annotated_lines(data, diagnostics),
        # The request editor marks these at their line and column (data-diagnostics).
        "editor_diagnostics": editor_diagnostics(diagnostics),
        "curl": curl_command(data, sandbox_address(user)["url"]),
        "sent": True,
    }


def _lesson_url(box: TryBox | None) -> str:
    """Back to the box on its lesson; built from the unit's own slug, never from posted text."""
    if box is None:
        return "/learn/"
    return f"/learn/{box.unit.slug}/#try-{box.unit.slug}-{box.slug}"


def _render(request, context: dict, status: int):
    template = "challenges/try_result.html"
    # In a lesson the box's own heading is an h3; on the fallback page the h1.
    context["level"] = 4 if request.htmx else 2
    if request.htmx:
        template += "#result"
    return render(request, template, context, status=status)
