from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core import signing
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.email_address import email_address_confirm
from accounts.forms import ProfileForm, SignUpForm
from accounts.models import User
from accounts.ratelimit import rate_limited
from accounts.services import profile_update

# A link to confirm an address works for 3 days.
_CONFIRM_SALT = "accounts.email-confirm"
_CONFIRM_MAX_AGE = 3 * 24 * 3600
# The address a sign-up mailed a link to, until the link adds it (kept in the session).
_PENDING_EMAIL = "accounts.pending-email"


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

    The answer is the same whether or not the email address has an account:
    the new account starts without one, and the address gets a mail, either a
    link that adds it or a note to its owner (see SignUpForm.clean_email).
    """
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        _mail_about_address(request, user, form.address, form.existing_account)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[_PENDING_EMAIL] = form.address
        messages.success(
            request,
            f"Welcome, {user.public_name}! Your account is ready. We have sent a message to "
            f"{form.address}: follow its link to add that address to your account.",
        )
        if request.htmx:
            return HttpResponseClientRedirect(reverse("dashboard"))
        return redirect("dashboard")
    template = "accounts/signup.html#form" if request.htmx else "accounts/signup.html"
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


def _mail_about_address(request, user, address: str, existing_account) -> None:
    """Mail `address` a link that adds it to `user`, or tell its owner someone tried it."""
    context = {"domain": get_current_site(request).domain, "protocol": request.scheme}
    if existing_account is None:
        context.update(user=user, token=signing.dumps([user.pk, address], salt=_CONFIRM_SALT))
        _send("accounts/email/confirm_address", context, address)
        return
    context.update(
        owner=existing_account,
        uid=urlsafe_base64_encode(force_bytes(existing_account.pk)),
        token=default_token_generator.make_token(existing_account),
    )
    _send("accounts/email/signup_taken", context, existing_account.email)


def _send(template: str, context: dict, address: str) -> None:
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    send_mail(subject, render_to_string(f"{template}.txt", context), None, [address])


@require_http_methods(["GET", "POST"])
def email_confirm(request, token: str):
    """Add a confirmed address to the account it was typed for (GET asks, POST does it)."""
    try:
        user_id, address = signing.loads(token, salt=_CONFIRM_SALT, max_age=_CONFIRM_MAX_AGE)
        user = User.objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, User.DoesNotExist, TypeError, ValueError):
        return render(request, "accounts/email_confirm.html", {"invalid": True}, status=400)
    context = {"address": address, "account": user, "done": user.email.lower() == address.lower()}
    if request.method == "POST" and not context["done"]:
        context["done"] = email_address_confirm(user=user, address=address)
        context["taken"] = not context["done"]
    if context["done"] and request.user == user:
        request.session.pop(_PENDING_EMAIL, None)
    status = 409 if context.get("taken") else 200
    return render(request, "accounts/email_confirm.html", context, status=status)


login_view = rate_limited("login-failure", key="address", counts=_not_signed_in)(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)


def _pending_email(request) -> str:
    """The address waiting for its link to be followed, if the account has none yet."""
    return "" if request.user.email else request.session.get(_PENDING_EMAIL, "")


@require_POST
@login_required
@rate_limited("email-resend", key="user")
def email_resend(request):
    """Send the sign-up's confirmation message again, to the address it went to."""
    address = _pending_email(request)
    if not address:
        messages.error(request, "There is no address waiting for confirmation.")
        return redirect("accounts:profile")
    existing = User.objects.filter(email__iexact=address).exclude(pk=request.user.pk).first()
    _mail_about_address(request, request.user, address, existing)
    messages.success(request, f"We have sent the message to {address} again.")
    return redirect("accounts:profile")


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
    context = {"form": form, "pending_email": _pending_email(request)}
    return render(request, template, context, status=400 if form.errors else 200)
