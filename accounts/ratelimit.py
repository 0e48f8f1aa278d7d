"""Abuse limits: at most N events per key in a window, counted in the cache.

Strategy: one counter per (limit, key, window) in Django's cache, which is
Redis in production, so every app process shares the count. `cache.add`
creates the counter only when it is missing and `cache.incr` bumps it
atomically, so two requests never read the same count (never get-then-set).
Windows are fixed (aligned to the clock): one key per client, at the price of
letting a client reach twice the limit across a window's end, which is fine
for limits meant to stop floods.

A view opts in with one decorator; a refused request gets a 429 page (or the
fragment, for htmx) with Retry-After, and the view never runs, so nothing
changes. A request takes its place under the limit before the view runs and,
if it turns out not to count (`counts`), gives it back after:

    @rate_limited("quiz-answer", key="user")        # every POST counts
    @rate_limited("signup", key="address", counts=signed_in)  # only accounts made

The limits themselves are settings (RATE_LIMITS, from the environment).
"""

import contextlib
import hashlib
import ipaddress
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["client_address", "rate_count", "rate_limited"]

# What each limit tells the person it stops, and where it sends them next.
_REFUSALS = {
    "signup": "Many accounts have been created from your address in the last while, so we have "
    "paused sign-ups from it.",
    "quiz-answer": "You are sending answers faster than anyone can read the questions, so we "
    "have paused answers from your account for a moment.",
    "login-failure": "There were too many failed log-ins from your address, whatever the "
    "usernames, so we have paused log-ins from it.",
    "email-resend": "We have sent the confirmation message several times already, so we have "
    "paused sending it for a while. Look in your spam folder too.",
}


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or what a trusted proxy says it saw.

    X-Forwarded-For is read from the right (the proxy nearest us wrote the last
    entry) and only while each hop is one of settings.TRUSTED_PROXIES, so a
    client cannot choose its own address by sending the header itself.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted_proxy(address):
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_address(hop):
            return address
        if not _is_trusted_proxy(hop):
            return hop
        address = hop
    return address


def rate_count(limit: str, key: str) -> int | None:
    """Count one event against `limit` for `key`.

    Returns None while within the limit, else the seconds until its window ends.
    """
    return _reserve(limit, key)[1]


def rate_limited(limit: str, *, key: str, counts=None, methods=("POST",)):
    """Decorate a view so that `limit` refuses requests over it with a 429.

    `key` is "address" (the client's address) or "user" (the signed-in user).
    Every request with one of `methods` takes a place under the limit before
    the view runs, so parallel requests cannot all slip under it. With
    `counts`, a request for which `counts(request, response)` is false (no
    account made, a log-in that worked) gives its place back afterwards.
    """
    if key not in ("address", "user"):
        raise ValueError(f"rate_limited key must be 'address' or 'user', not {key!r}")

    def decorate(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            if request.method not in methods:
                return view(request, *args, **kwargs)
            subject = client_address(request) if key == "address" else str(request.user.pk)
            cache_key, wait = _reserve(limit, subject)
            if wait is not None:
                return _refusal(request, limit, wait)
            response = view(request, *args, **kwargs)
            if counts is not None and not counts(request, response):
                _give_back(cache_key)
            return response

        return limited_view

    return decorate


def _reserve(limit: str, key: str) -> tuple[str, int | None]:
    """Take one place under the limit: (the counter's cache key, None or seconds to wait)."""
    events, period = settings.RATE_LIMITS[limit]
    cache_key, wait = _window(limit, key, period)
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the counter expired between add and incr
        cache.add(cache_key, 0, timeout=period + 1)
        count = cache.incr(cache_key)
    return cache_key, (wait if count > events else None)


def _give_back(cache_key: str) -> None:
    # ValueError: the window ended meanwhile, and its counter with it.
    with contextlib.suppress(ValueError):
        cache.decr(cache_key)


def _refusal(request, limit: str, wait: int):
    template = "accounts/rate_limited.html"
    context = {"reason": _REFUSALS[limit], "wait": _in_words(wait), "retry_url": _back_url(request)}
    response = render(request, template + ("#refusal" if request.htmx else ""), context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _back_url(request) -> str:
    """Where to try again: the page the request came from, if it is ours, else the home page.

    The refused request itself may be a POST-only address, which a link cannot reload.
    """
    candidates = [request.htmx.current_url if request.htmx else None]
    candidates.append(request.META.get("HTTP_REFERER"))
    for url in candidates:
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return "/"


def _window(limit: str, key: str, period: int) -> tuple[str, int]:
    """The counter's cache key for the current window, and the seconds left in it."""
    now = time.time()
    index = int(now // period)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{limit}:{digest}:{index}", max(1, math.ceil((index + 1) * period - now))


def _in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted_proxy(text: str) -> bool:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return any(address in network for network in settings.TRUSTED_PROXIES)
