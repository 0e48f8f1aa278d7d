"""Study groups, sets, assignments, progress matrices and leaderboards.

Who may see what: a group is visible to its members only (anyone else gets
404, as if it did not exist); the matrix, members' attempts and the CSV export
to its owner and co-instructors (a plain member gets 403).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from classroom.forms import AssignForm, GroupForm, JoinForm, UsernameForm
from classroom.models import Assignment, Membership
from classroom.selectors import (
    assignment_board,
    assignments_for,
    global_board,
    group_board,
    groups_of,
    membership_of,
    own_progress,
)
from classroom.services import (
    ClassroomError,
    ClassroomPermissionError,
    assignment_create,
    assignment_delete,
    group_create,
    group_join,
    group_leave,
    join_code_regenerate,
    member_remove,
    member_set_role,
)

PERIODS = {"all": "All time", "week": "This week"}


def _membership(user, group_id: int) -> Membership:
    """The viewer's membership of the group; anyone else gets 404."""
    membership = membership_of(user, group_id)
    if membership is None:
        raise Http404("No such group.")
    return membership


def _instructor_membership(user, group_id: int) -> Membership:
    membership = _membership(user, group_id)
    if not membership.is_instructor:
        raise PermissionDenied("Only the group's instructors may see this.")
    return membership


def _fragment(request) -> bool:
    """An htmx swap wants the fragment; a history restore (Back after a pushed tab) wants the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _period(request) -> str:
    period = request.GET.get("period", "all")
    return period if period in PERIODS else "all"


def _act(request, action, success: str):
    """Run a service; show its refusal as an error message instead of a 500."""
    try:
        result = action()
    except ClassroomPermissionError as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    except ClassroomError as refusal:
        messages.error(request, str(refusal))
        return None
    if success:
        messages.success(request, success)
    return result


@require_GET
@login_required
def index(request):
    """The learner's groups and assignments, with forms to join or start a group."""
    context = {
        "memberships": groups_of(request.user),
        "assignments": assignments_for(request.user),
        "join_form": JoinForm(),
        "group_form": GroupForm(),
    }
    return render(request, "classroom/index.html", context)


@require_POST
@login_required
def create(request):
    form = GroupForm(request.POST)
    if not form.is_valid():
        context = {
            "memberships": groups_of(request.user),
            "assignments": assignments_for(request.user),
            "join_form": JoinForm(),
            "group_form": form,
        }
        return render(request, "classroom/index.html", context, status=400)
    group = group_create(owner=request.user, **form.cleaned_data)
    messages.success(
        request, f"Your group is ready. Share the join code {group.join_code} with your learners."
    )
    return redirect("classroom:detail", group_id=group.pk)


@login_required
def join(request, join_code: str = ""):
    """Join by code: a form post, or a join link (GET shows a confirmation, so a link alone changes nothing)."""
    if request.method == "GET" and join_code:
        return render(request, "classroom/join.html", {"join_code": join_code})
    if request.method != "POST":
        # The form to type a code in, with the 405 and Allow header a form target owes the client.
        refused = render(request, "classroom/join.html", {"join_code": join_code}, status=405)
        refused["Allow"] = "GET, POST" if join_code else "POST"
        return refused
    form = JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type the join code you were given.")
        return redirect("classroom:index")
    joined = _act(
        request, lambda: group_join(user=request.user, join_code=form.cleaned_data["join_code"]), ""
    )
    if joined is None:
        return redirect("classroom:index")
    group, is_new = joined
    messages.success(
        request, f"Welcome to {group.name}!" if is_new else f"You are already in {group.name}."
    )
    return redirect("classroom:detail", group_id=group.pk)


@require_GET
@vary_on_headers("HX-Request")
@login_required
def detail(request, group_id: int):
    """A group: its assignments, members, and its leaderboard."""
    membership = _membership(request.user, group_id)
    context = _detail_context(request, membership, AssignForm(user=request.user))
    template = "classroom/detail.html#board" if _fragment(request) else "classroom/detail.html"
    return render(request, template, context)


def _detail_context(request, membership: Membership, assign_form: AssignForm) -> dict:
    group = membership.group
    period = _period(request)
    assignments = list(
        group.assignments.select_related("challenge_set", "group").order_by("due_at", "pk")
    )
    if not membership.is_instructor:
        mine = own_progress(assignments, request.user)
        for assignment in assignments:
            assignment.mine = mine.get(assignment.pk)
    context = {
        "group": group,
        "membership": membership,
        "members": Paginator(
            group.memberships.select_related("user")
            .only("role", "group_id", "user__username", "user__display_name")
            .order_by("-role", "user__username"),
            50,
        ).get_page(request.GET.get("members_page")),
        "assignments": assignments,
        "board": group_board(group, request.user, period),
        "period": period,
        "periods": PERIODS,
        "assign_form": assign_form,
        "username_form": UsernameForm(),
    }
    return context


@require_POST
@login_required
def leave(request, group_id: int):
    membership = _membership(request.user, group_id)
    done = _act(
        request,
        lambda: group_leave(user=request.user, group=membership.group) or True,
        f"You left {membership.group.name}.",
    )
    return redirect(
        "classroom:index" if done else "classroom:detail",
        **({} if done else {"group_id": group_id}),
    )


def _member_of_group(group, username: str):
    user = get_user_model().objects.filter(username=username, memberships__group=group).first()
    if user is None:
        raise Http404("No such member.")
    return user


@require_POST
@login_required
def remove_member(request, group_id: int, username: str):
    membership = _instructor_membership(request.user, group_id)
    user = _member_of_group(membership.group, username)
    _act(
        request,
        lambda: member_remove(actor=request.user, group=membership.group, user=user),
        f"{user.public_name} is no longer in the group.",
    )
    return redirect("classroom:detail", group_id=group_id)


@require_POST
@login_required
def set_role(request, group_id: int, username: str):
    membership = _instructor_membership(request.user, group_id)
    user = _member_of_group(membership.group, username)
    instructor = request.POST.get("role") == "instructor"
    word = "a co-instructor" if instructor else "a member"
    _act(
        request,
        lambda: member_set_role(
            actor=request.user, group=membership.group, user=user, instructor=instructor
        ),
        f"{user.public_name} is now {word}.",
    )
    return redirect("classroom:detail", group_id=group_id)


@require_POST
@login_required
def regenerate_code(request, group_id: int):
    membership = _instructor_membership(request.user, group_id)
    code = _act(
        request, lambda: join_code_regenerate(actor=request.user, group=membership.group), ""
    )
    if code:
        messages.success(request, f"The new join code is {code}. The old one no longer works.")
    return redirect("classroom:detail", group_id=group_id)


@require_POST
@login_required
def assign(request, group_id: int):
    membership = _instructor_membership(request.user, group_id)
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        # The page again, with the learner's choices kept and the errors beside their fields.
        context = _detail_context(request, membership, form)
        return render(request, "classroom/detail.html", context, status=400)
    _act(
        request,
        lambda: assignment_create(
            actor=request.user,
            group=membership.group,
            challenge_set=form.cleaned_data["challenge_set"],
            due_at=form.cleaned_data["due_at"],
        ),
        f"Assigned {form.cleaned_data['challenge_set'].title}.",
    )
    return redirect("classroom:detail", group_id=group_id)


@require_POST
@login_required
def unassign(request, group_id: int, assignment_id: int):
    membership = _instructor_membership(request.user, group_id)
    assignment = get_object_or_404(Assignment, pk=assignment_id, group=membership.group)
    _act(
        request,
        lambda: assignment_delete(actor=request.user, assignment=assignment),
        "The assignment is removed.",
    )
    return redirect("classroom:detail", group_id=group_id)


@require_GET
@vary_on_headers("HX-Request")
def leaderboard(request):
    """The global board, all-time or this week: top 50 plus the viewer's own rank."""
    period = _period(request)
    context = {"board": global_board(request.user, period), "period": period, "periods": PERIODS}
    template = (
        "classroom/leaderboard.html#board" if _fragment(request) else "classroom/leaderboard.html"
    )
    return render(request, template, context)


@require_GET
@login_required
def assignment_leaderboard(request, group_id: int, assignment_id: int):
    membership = _membership(request.user, group_id)
    assignment = get_object_or_404(
        Assignment.objects.select_related("challenge_set", "group"),
        pk=assignment_id,
        group=membership.group,
    )
    rows = assignment_board(assignment, request.user)
    return render(
        request,
        "classroom/assignment_board.html",
        {"assignment": assignment, "rows": rows, "group": membership.group},
    )
