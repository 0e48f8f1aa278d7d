"""Instructors' views of an assignment: the progress matrix, its CSV, and one learner's attempts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.redaction import exchange_text_for
from challenges.models import Submission
from classroom.csv_cells import formula_safe_writer
from classroom.models import Assignment, Membership, SetItem
from classroom.selectors import had_assignment_since, progress_matrix
from classroom.views import _fragment, _instructor_membership
from quiz.models import QuizRun


def _assignment(membership: Membership, assignment_id: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("challenge_set", "group"),
        pk=assignment_id,
        group=membership.group,
    )


@require_GET
@vary_on_headers("HX-Request")
@login_required
def matrix(request, group_id: int, assignment_id: int):
    """Members x items, sortable by name or progress, with per-item counts to show where the group is stuck."""
    assignment = _assignment(_instructor_membership(request.user, group_id), assignment_id)
    sort = "progress" if request.GET.get("sort") == "progress" else "name"
    context = {
        "assignment": assignment,
        "matrix": progress_matrix(assignment, sort=sort),
        "sort": sort,
    }
    template = "classroom/matrix.html#table" if _fragment(request) else "classroom/matrix.html"
    return render(request, template, context)


@require_GET
@login_required
def matrix_csv(request, group_id: int, assignment_id: int):
    assignment = _assignment(_instructor_membership(request.user, group_id), assignment_id)
    data = progress_matrix(assignment)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_csv_name(assignment)}"'
    writer = formula_safe_writer(response)
    writer.writerow(["username", "name", *[item.label for item in data.items], "done"])
    for row in data.rows:
        writer.writerow(
            [
                row.member.username,
                row.member.public_name,
                *[cell.label for cell in row.cells],
                row.done,
            ]
        )
    return response


def _csv_name(assignment: Assignment) -> str:
    """`tuesday-class-first-steps-2026-03-02.csv`: what it is, and when it was taken."""
    group = slugify(assignment.group.name) or "group"
    title = slugify(assignment.challenge_set.title) or "set"
    return f"{group}-{title}-{timezone.localdate().isoformat()}.csv"


@require_GET
@login_required
def cell(request, group_id: int, assignment_id: int, username: str, item_id: int):
    """One learner's attempts on one item of the assignment."""
    membership = _instructor_membership(request.user, group_id)
    assignment = _assignment(membership, assignment_id)
    item = get_object_or_404(
        SetItem.objects.select_related("challenge", "quiz_topic"),
        pk=item_id,
        challenge_set=assignment.challenge_set,
    )
    learner = (
        get_user_model()
        .objects.filter(username=username, memberships__group=membership.group)
        .first()
    )
    if learner is None:
        raise Http404("No such member.")
    joined_at = learner.memberships.filter(group=membership.group).values_list(
        "joined_at", flat=True
    )
    context = {
        "assignment": assignment,
        "item": item,
        "learner": learner,
        "since": had_assignment_since(assignment, joined_at.first()),
    }
    if item.challenge_id:
        context["submissions"] = _as_seen_by(
            request.user,
            learner,
            Submission.objects.filter(user=learner, challenge=item.challenge)
            .prefetch_related("exchanges")
            .order_by("-pk")[:50],
        )
    else:
        context["runs"] = (
            QuizRun.objects.filter(user=learner, kind=QuizRun.Kind.TOPIC, topic=item.quiz_topic)
            .annotate(right=Count("answers", filter=Q(answers__correct=True)))
            .prefetch_related("answers__question")
            .order_by("-pk")[:20]
        )
    return render(request, "classroom/cell.html", context)


def _as_seen_by(viewer, learner, submissions) -> list[Submission]:
    """The submissions with their request, responses and check messages as `viewer` may read them."""
    shown = list(submissions)
    for submission in shown:
        submission.request_shown = exchange_text_for(
            viewer, learner, bytes(submission.raw_request).decode("utf-8", "replace")
        )
        submission.responses_shown = [
            exchange_text_for(viewer, learner, exchange.response_text)
            for exchange in submission.exchanges.all()
        ]
        submission.results_shown = [
            {**result, "message": exchange_text_for(viewer, learner, result.get("message", ""))}
            for result in submission.results
        ]
    return shown
