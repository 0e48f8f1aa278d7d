"""Challenge sets: ready-made ones ship with the curriculum; any signed-in user can make their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from classroom.forms import SetForm
from classroom.models import ChallengeSet
from classroom.services import ClassroomError, set_save


def _visible_sets(user):
    return ChallengeSet.objects.filter(Q(slug__isnull=False) | Q(author=user))


@require_GET
@login_required
def set_list(request):
    sets = _visible_sets(request.user).prefetch_related("items__challenge", "items__quiz_topic")
    return render(request, "classroom/sets.html", {"sets": sets})


@require_http_methods(["GET", "POST"])
@login_required
def set_edit(request, set_id: int | None = None):
    """Create a set, or edit one of your own (ready-made sets are read-only: copy them instead)."""
    challenge_set = None
    if set_id is not None:
        challenge_set = get_object_or_404(_visible_sets(request.user), pk=set_id)
        if challenge_set.author_id != request.user.pk:
            raise PermissionDenied("Only the set's author may change it.")
    initial = {}
    if challenge_set:
        initial = {
            "title": challenge_set.title,
            "description": challenge_set.description,
            "items": [_key(i) for i in challenge_set.items.all()],
        }
    form = SetForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = set_save(author=request.user, challenge_set=challenge_set, **form.cleaned_data)
        except ClassroomError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"The set {saved.title} is saved.")
            return redirect("classroom:sets")
    status = 400 if form.errors else 200
    chosen, groups = form.item_layout()
    context = {
        "form": form,
        "details_form": form.details(),
        "chosen": chosen,
        "groups": groups,
        "challenge_set": challenge_set,
    }
    return render(request, "classroom/set_form.html", context, status=status)


def _key(item) -> str:
    return (
        f"challenge:{item.challenge.slug}" if item.challenge_id else f"quiz:{item.quiz_topic.slug}"
    )
