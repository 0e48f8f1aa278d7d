from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone

from accounts.selectors import header_state


class TimezoneMiddleware:
    """Show times in the signed-in learner's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class LearnerHeaderMiddleware:
    """Read a signed-in learner's header entry before the view, on pages (GET and HEAD).

    That one cache round trip also brings the content version the view's
    content caches need (accounts.learner_version), so a page pays one round
    trip for both instead of two. The entry is kept on the request's user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.method in ("GET", "HEAD") and user is not None and user.is_authenticated:
            header_state(user)
        return self.get_response(request)


class MethodNotAllowedMiddleware:
    """Give a bare 405 (from require_POST and friends) a page that says what happened.

    Django's HttpResponseNotAllowed has an empty body, so a learner who opens a
    POST-only address (say, a bookmarked form target) sees a blank page. The
    status and the Allow header stay as they were: only the body is added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed) or response.content:
            return response
        allowed = response["Allow"]
        page = render(
            request,
            "405.html",
            {"allowed": [method.strip() for method in allowed.split(",")]},
            status=405,
        )
        page["Allow"] = allowed
        return page
