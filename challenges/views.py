from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from challenges.forms import SendForm
from challenges.models import Challenge, ChallengeProgress, Submission
from challenges.presenters import (
    annotated_lines,
    curl_command,
    editor_diagnostics,
    graded_requests,
)
from challenges.selectors import (
    catalogue_challenge,
    challenge_board,
    passed_steps,
    sandbox_address,
    sandbox_reference,
    step_history,
)
from challenges.services import sandbox_reset
from challenges.submissions import (
    SubmissionRefused,
    challenge_give_up,
    challenge_grade_tcp,
    challenge_hint_reveal,
    challenge_restart,
    challenge_submit,
    progress_for,
)
from curriculum.selectors import units_checking_challenge


def _challenge(slug: str) -> Challenge:
    return get_object_or_404(Challenge.objects.select_related("topic"), slug=slug, is_active=True)


def _catalogued(slug: str) -> Challenge:
    """The active challenge from the content cache (no query), or 404; shared: read only."""
    challenge = catalogue_challenge(slug)
    if challenge is None:
        raise Http404("No such challenge.")
    return challenge


@require_GET
def index(request):
    """Every challenge, grouped by topic, with the learner's status and progress per topic."""
    return render(request, "challenges/index.html", {"topics": challenge_board(request.user)})


@require_GET
def sandbox_info(request):
    """The sandbox's API reference, and the learner's own TCP address."""
    context = {"reference": sandbox_reference()}
    if request.user.is_authenticated:
        context["address"] = sandbox_address(request.user)
    return render(request, "challenges/sandbox.html", context)


def _page_context(request, challenge: Challenge, progress=None, **extra) -> dict:
    progress = progress or progress_for(request.user, challenge)
    revealed = challenge.hints[: progress.hints_revealed]
    context = {
        "challenge": challenge,
        "progress": progress,
        "done_steps": passed_steps(request.user, challenge, progress),
        "hints_revealed": revealed,
        "next_hint": challenge.hints[len(revealed)]
        if len(revealed) < len(challenge.hints)
        else None,
        "show_solution": progress.status == ChallengeProgress.Status.SOLVED or progress.gave_up,
        "address": sandbox_address(request.user),
        "xp_now": challenge.xp_for(progress.hints_revealed),
    }
    context.update(extra)
    # Built only when the caller did not bring its own (a send knows whether it needs them).
    if "form" not in context:
        context["form"] = SendForm(initial={"request": challenge.starter, "line_endings": "crlf"})
    if "history" not in context:
        context["history"] = step_history(request.user, challenge, limit=5)
    if "units" not in context:
        context["units"] = units_checking_challenge(challenge.slug)
    return context


@require_GET
@login_required
def detail(request, slug: str):
    """The challenge: brief, steps, editor, hints, TCP address and recent attempts."""
    challenge = _catalogued(slug)
    return render(request, "challenges/detail.html", _page_context(request, challenge))


def _attempt_context(request, challenge, attempt) -> dict:
    exchanges = list(attempt.exchanges)
    diagnostics = [d for row in exchanges for d in row.diagnostics]
    raw = bytes(attempt.submission.raw_request)
    if attempt.submission.source != "editor":  # several requests from TCP, each shown on its own
        checks = challenge.steps[attempt.step]["checks"]
        return {
            "attempt": attempt,
            "progress": attempt.progress,
            "exchanges": exchanges,
            "graded": graded_requests(exchanges, checks),
        }
    return {
        "attempt": attempt,
        "progress": attempt.progress,
        "exchanges": exchanges,
        "lines": annotated_lines(raw, diagnostics),
        "editor_diagnostics": editor_diagnostics(diagnostics),
        "curl": curl_command(raw, sandbox_address(request.user)["url"]),
        "history": _recent_attempts(request.user, challenge),
        # The result names the units only to say a solve completed them.
        "units": units_checking_challenge(challenge.slug) if attempt.solved_now else [],
    }


def _recent_attempts(user, challenge):
    """The side panel's five latest attempts: only what it shows, without their exchanges."""
    return (
        Submission.objects.filter(user=user, challenge=challenge)
        .only("pk", "step", "source", "passed", "created_at")
        .order_by("-pk")[:5]
    )


@require_POST
@login_required
def send(request, slug: str):
    """Send the editor's bytes to the sandbox and grade the current step."""
    challenge = _catalogued(slug)
    form = SendForm(request.POST)
    extra = {"form": form}
    if not form.is_valid():
        extra["refusal"] = "The form was incomplete: choose how to send line endings and try again."
        extra["refusal_status"] = 400
    else:
        try:
            attempt = challenge_submit(
                user=request.user, challenge=challenge, data=form.raw_bytes()
            )
            extra.update(_attempt_context(request, challenge, attempt))
        except SubmissionRefused as refusal:
            extra.update(refusal=str(refusal), refusal_status=refusal.status)
    return _render_attempt(request, challenge, extra)


def _render_attempt(request, challenge, extra):
    status = extra.pop("refusal_status", 200)
    context = _page_context(request, challenge, **extra)
    if request.htmx:
        return render(request, "challenges/_attempt_response.html", context, status=status)
    return render(request, "challenges/detail.html", context, status=status)


@require_POST
@login_required
def grade_tcp(request, slug: str):
    """Grade the current step against the requests the learner sent to the TCP sandbox."""
    challenge = _challenge(slug)
    try:
        attempt = challenge_grade_tcp(user=request.user, challenge=challenge)
        extra = _attempt_context(request, challenge, attempt)
    except SubmissionRefused as refusal:
        extra = {"refusal": str(refusal), "refusal_status": refusal.status}
    return _render_attempt(request, challenge, extra)


@require_POST
@login_required
def hint(request, slug: str):
    challenge = _challenge(slug)
    if not challenge.hints:
        messages.info(request, "This challenge has no hints.")
    else:
        challenge_hint_reveal(user=request.user, challenge=challenge)
    if request.htmx:
        return render(request, "challenges/_hint_response.html", _page_context(request, challenge))
    return redirect("challenges:detail", slug=slug)


@require_POST
@login_required
def give_up(request, slug: str):
    challenge = _challenge(slug)
    progress = challenge_give_up(user=request.user, challenge=challenge)
    if progress.gave_up:
        messages.warning(
            request,
            "Here is the solution. Solving this challenge now earns no XP, but you can still practise it.",
        )
    return redirect("challenges:detail", slug=slug)


@require_POST
@login_required
def restart(request, slug: str):
    """Start a multi-step challenge again from step 1 (the sandbox state is left as it is)."""
    challenge = _challenge(slug)
    challenge_restart(user=request.user, challenge=challenge)
    messages.info(
        request,
        "Back to step 1. Your sandbox keeps its state; reset it too if you want a fresh bookshop.",
    )
    return redirect("challenges:detail", slug=slug)


@require_POST
@login_required
def sandbox_reset_view(request):
    sandbox_reset(user=request.user)
    messages.success(
        request, "Your sandbox is fresh again: the six sample books, no orders, nobody logged in."
    )
    next_url = request.POST.get("next", "")
    if next_url.startswith("/challenges/") and "//" not in next_url:
        return redirect(next_url)
    return redirect("challenges:index")


@require_GET
@login_required
def history(request, slug: str):
    """All of the learner's attempts on a challenge, newest first, paginated."""
    challenge = _challenge(slug)
    submissions = Submission.objects.filter(
        user=request.user, challenge=challenge
    ).prefetch_related("exchanges")
    page = Paginator(submissions.order_by("-pk"), 20).get_page(request.GET.get("page"))
    template = "challenges/history.html#rows" if request.htmx else "challenges/history.html"
    return render(request, template, {"challenge": challenge, "page": page})


@require_GET
@login_required
def submission_detail(request, submission_id: int):
    """One attempt with its raw exchanges; only its author may see it."""
    submission = get_object_or_404(
        Submission.objects.select_related("challenge"), pk=submission_id, user=request.user
    )
    exchanges = list(submission.exchanges.order_by("pk"))
    diagnostics = [d for row in exchanges for d in row.diagnostics]
    lines = annotated_lines(bytes(submission.raw_request), diagnostics)
    return render(
        request,
        "challenges/submission.html",
        {"submission": submission, "exchanges": exchanges, "lines": lines},
    )
