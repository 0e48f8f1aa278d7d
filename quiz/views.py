from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.ratelimit import rate_limited
from curriculum.models import Misconception, Topic, Unit
from quiz.belief_runs import quiz_belief_start
from quiz.forms import answer_from_post
from quiz.models import Question, QuizRun
from quiz.presenters import answer_review, question_view, run_xp
from quiz.presenters_path import path_outcome
from quiz.selectors import practice_counts, question_by_pk, topic_masteries
from quiz.services import (
    QuizError,
    quiz_answer_submit,
    quiz_checkpoint_start,
    quiz_placement_start,
    quiz_run_start,
)


def _run_for_user(user, run_id: int) -> QuizRun:
    """Return the learner's own run; anyone else's id is a 404."""
    return get_object_or_404(QuizRun.objects.select_related("topic", "unit"), pk=run_id, user=user)


@require_GET
def index(request):
    """Topics with the learner's mastery, plus mixed and practice runs."""
    context = {"masteries": topic_masteries(request.user)}
    if request.user.is_authenticated:
        context["practice_due"], context["practice_total"] = practice_counts(request.user)
    return render(request, "quiz/index.html", context)


@require_POST
@login_required
def start(request):
    """Start (or resume) a run: `topic` is a topic slug, `mixed` or `practice`;
    `misconception` a misconception slug (a belief run); `unit` a unit slug (its
    checkpoint), `placement` the unit slug a placement check skips to."""
    if "misconception" in request.POST:
        return _start_belief_run(request)
    if "unit" in request.POST or "placement" in request.POST:
        return _start_path_run(request)
    choice = request.POST.get("topic", "")
    kind, topic = QuizRun.Kind.TOPIC, None
    if choice in (QuizRun.Kind.MIXED, QuizRun.Kind.PRACTICE):
        kind = choice
    else:
        topic = Topic.objects.filter(slug=choice).first()
        if topic is None:
            messages.error(request, "There is no such quiz topic. Pick one from the list.")
            return redirect("quiz:index")
    try:
        run = quiz_run_start(user=request.user, kind=kind, topic=topic)
    except QuizError as error:
        messages.warning(request, str(error))
        return redirect("quiz:index")
    return _to_run(request, run)


def _start_path_run(request):
    """A checkpoint (`unit`) or placement check (`placement`); refusals go back to the unit or path."""
    placement = "placement" in request.POST
    slug = request.POST.get("placement" if placement else "unit", "")
    unit = Unit.objects.filter(slug=slug, is_active=True).first()
    if unit is None:
        messages.error(request, "There is no such unit. Pick one from the path.")
        return redirect("curriculum:path")
    starter = quiz_placement_start if placement else quiz_checkpoint_start
    try:
        run = starter(user=request.user, unit=unit)
    except QuizError as error:
        messages.warning(request, str(error))
        back = ("curriculum:path",) if placement else ("curriculum:unit", unit.slug)
        return redirect(*back)
    return _to_run(request, run)


def _to_run(request, run):
    url = reverse("quiz:run", args=[run.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _start_belief_run(request):
    """A run on one misconception, from the dashboard; refusals go back there."""
    slug = request.POST.get("misconception", "")
    misconception = Misconception.objects.filter(slug=slug, is_active=True).first()
    if misconception is None:
        messages.error(request, "There is no such misconception to practise.")
        return redirect("dashboard")
    try:
        run = quiz_belief_start(user=request.user, misconception=misconception)
    except QuizError as error:
        messages.warning(request, str(error))
        return redirect("dashboard")
    url = reverse("quiz:run", args=[run.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
@login_required
def run_detail(request, run_id: int):
    """The current question of a run, or its summary once every question is answered."""
    run = _run_for_user(request.user, run_id)
    answers = list(run.answers.select_related("question"))
    template = "quiz/run.html#card" if request.htmx else "quiz/run.html"
    if len(answers) >= run.size:
        return render(request, template, {"run": run, "summary": _summary(run, answers)})
    return render(request, template, _question_context(run, len(answers)))


def _question_context(run: QuizRun, position: int, error: str | None = None) -> dict:
    question = question_by_pk(run.question_ids[position])
    return {
        "run": run,
        "position": position,
        "question": question_view(run, question),
        "error": error,
    }


def _summary(run: QuizRun, answers) -> dict:
    right = sum(answer.correct for answer in answers)
    return {
        "right": right,
        "total": run.size,
        "reviews": [answer_review(run, answer) for answer in answers],
        "xp": run_xp(run, answers),
        "path": path_outcome(run, right),
    }


@require_POST
@login_required
@rate_limited("quiz-answer", key="user")
def answer(request, run_id: int):
    """Score the answer to the current question; show feedback (htmx fragment, or a page after redirect)."""
    run = _run_for_user(request.user, run_id)
    try:
        position = int(request.POST.get("position", ""))
        question = Question.objects.get(pk=run.question_ids[position])
    except (ValueError, IndexError, Question.DoesNotExist):
        return _bad_answer(request, run, "That question is not part of this run.")
    given, error = answer_from_post(question.data, request.POST)
    if error:
        return _bad_answer(request, run, error, position)
    try:
        recorded = quiz_answer_submit(run=run, position=position, answer=given)
    except QuizError as problem:
        return _bad_answer(request, run, str(problem))
    if not request.htmx:
        return redirect("quiz:feedback", run_id=run.pk, position=recorded.position)
    return render(request, "quiz/run.html#card", _feedback_context(run, recorded))


def _bad_answer(request, run, message, position=None):
    current = run.answers.count()
    if current >= run.size:
        messages.warning(request, message)
        return redirect("quiz:run", run_id=run.pk)
    template = "quiz/run.html#card" if request.htmx else "quiz/run.html"
    position = current if position is None or position != current else position
    return render(request, template, _question_context(run, position, error=message), status=400)


def _feedback_context(run, recorded) -> dict:
    run.refresh_from_db()
    return {
        "run": run,
        "feedback": answer_review(run, recorded),
        "is_last": recorded.position + 1 >= run.size,
    }


@require_GET
@login_required
def feedback(request, run_id: int, position: int):
    """The feedback on one answered question (the page a no-JavaScript learner lands on)."""
    run = _run_for_user(request.user, run_id)
    recorded = run.answers.select_related("question").filter(position=position).first()
    if recorded is None:
        raise Http404("That question has not been answered yet.")
    template = "quiz/run.html#card" if request.htmx else "quiz/run.html"
    return render(request, template, _feedback_context(run, recorded))
