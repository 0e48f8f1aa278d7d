from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accounts.forms import ProfileForm, SignUpForm
from accounts.models import User
from accounts.ratelimit import rate_limited
from accounts.services import profile_update


@require_GET
def home(request):
    """The landing page for visitors; signed-in learners go straight to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


def _signed_in(request, response) -> bool:
    return request.user.is_authenticated


def _not_signed_in(request, response) -> bool:
    return not request.user.is_authenticated


@require_http_methods(["GET", "POST"])
@rate_limited("signup", key="address", counts=_signed_in)
def signup(request):
    """Create an account, log the new learner in and land on the dashboard.

    The answer is the same whether or not the email address has an account;
    its owner is told by mail instead (see SignUpForm.clean_email).
    """
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    user = _account_from(form) if request.method == "POST" else None
    if user is not None:
        if form.existing_account:
            _mail_existing_account(request, form.existing_account)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.public_name}! Your account is ready.")
        if request.htmx:
            return HttpResponseClientRedirect(reverse("dashboard"))
        return redirect("dashboard")
    template = "accounts/signup.html#form" if request.htmx else "accounts/signup.html"
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


def _account_from(form: SignUpForm):
    """Save a valid sign-up form and return the user; None when the form is invalid."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        # Another sign-up took this address between validation and saving.
        form.existing_account = User.objects.filter(email__iexact=form.instance.email).first()
        if form.existing_account is None:
            raise
        form.instance.email = ""
        return form.save()


def _mail_existing_account(request, owner) -> None:
    """Tell the owner of an address that someone signed up with it, with a reset link."""
    context = {
        "owner": owner,
        "domain": get_current_site(request).domain,
        "protocol": "https" if request.is_secure() else "http",
        "uid": urlsafe_base64_encode(force_bytes(owner.pk)),
        "token": default_token_generator.make_token(owner),
    }
    subject = render_to_string("accounts/email/signup_taken_subject.txt", context).strip()
    body = render_to_string("accounts/email/signup_taken.txt", context)
    send_mail(subject, body, None, [owner.email])


login_view = rate_limited("login-failure", key="address", counts=_not_signed_in)(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)


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
