from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accounts.forms import ProfileForm, SignUpForm
from accounts.services import profile_update


@require_GET
def home(request):
    """The landing page for visitors; signed-in learners go straight to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@require_http_methods(["GET", "POST"])
def signup(request):
    """Create an account, log the new learner in and land on the dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.public_name}! Your account is ready.")
        if request.htmx:
            return HttpResponseClientRedirect(reverse("dashboard"))
        return redirect("dashboard")
    template = "accounts/signup.html#form" if request.htmx else "accounts/signup.html"
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def profile(request):
    """Show and update the learner's own settings."""
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your settings are saved.")
        if not request.htmx:
            return redirect("accounts:profile")
    template = "accounts/profile.html#form" if request.htmx else "accounts/profile.html"
    return render(request, template, {"form": form}, status=400 if form.errors else 200)
