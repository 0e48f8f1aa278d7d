"""accounts.ratelimit: atomic counters, the client's address, and the three limits on views."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import ratelimit
from accounts.ratelimit import client_address, rate_count
from quiz.models import Answer
from quiz.services import quiz_run_start
from tests.concurrency import run_concurrently
from tests.factories import PASSWORD, QuestionFactory, TopicFactory, UserFactory

User = get_user_model()
SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")


def _signup_data(n: int) -> dict:
    password = "fetch-decode-execute-42"
    return {
        "username": f"learner{n}",
        "email": f"learner{n}@example.org",
        "password1": password,
        "password2": password,
    }


# --- the client's address -----------------------------------------------------


@pytest.mark.parametrize(
    "trusted, remote, forwarded, expected",
    [
        ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # nobody trusted: header ignored
        (["127.0.0.1/32"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from the proxy
        (["127.0.0.1/32"], "127.0.0.1", "198.51.100.1", "198.51.100.1"),  # nginx says who
        (["127.0.0.1/32"], "127.0.0.1", "", "127.0.0.1"),  # no header at all
        (["127.0.0.1/32"], "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # spoof on left
        (["127.0.0.1/32", "10.0.0.0/8"], "127.0.0.1", "198.51.100.1, 10.1.2.3", "198.51.100.1"),
        (["127.0.0.1/32"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (["::1/128"], "::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_address_believes_x_forwarded_for_only_from_trusted_proxies(
    settings, trusted, remote, forwarded, expected
):
    import ipaddress

    settings.TRUSTED_PROXIES = [ipaddress.ip_network(item) for item in trusted]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# --- the counter ---------------------------------------------------------------


def test_counter_allows_the_limit_then_says_how_long_to_wait(settings):
    settings.RATE_LIMITS = {"signup": (3, 3600)}
    assert [rate_count("signup", "a") for _ in range(3)] == [None, None, None]
    wait = rate_count("signup", "a")
    assert wait is not None and 1 <= wait <= 3600
    assert rate_count("signup", "b") is None, "another key has its own count"


def test_counter_starts_again_in_the_next_window(settings, monkeypatch):
    settings.RATE_LIMITS = {"signup": (1, 60)}
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6_000.0)
    assert rate_count("signup", "a") is None
    assert rate_count("signup", "a") == 60
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6_059.5)
    assert rate_count("signup", "a") == 1
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6_060.0)
    assert rate_count("signup", "a") is None


def test_counter_never_reads_then_writes(settings, monkeypatch):
    """The count comes from cache.add + cache.incr only: a get-then-set would race."""
    settings.RATE_LIMITS = {"signup": (2, 60)}
    monkeypatch.setattr(cache, "get", lambda *a, **k: pytest.fail("read the counter"))
    monkeypatch.setattr(cache, "set", lambda *a, **k: pytest.fail("overwrote the counter"))
    results = [rate_count("signup", "a") for _ in range(3)]
    assert results[:2] == [None, None] and results[2] is not None


def test_counter_is_exact_under_parallel_hits(postgres_only, settings):
    """On PostgreSQL + Redis (CI's second pass): 40 threads at once, exactly 10 allowed."""
    settings.RATE_LIMITS = {"signup": (10, 3600)}
    results = run_concurrently(lambda: rate_count("signup", "198.51.100.7"), 40)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert results.count(None) == 10


def test_parallel_signups_from_one_address_make_exactly_the_limit(postgres_only, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (5, 3600)}
    numbers = iter(range(20))

    def sign_up():
        return Client(REMOTE_ADDR="198.51.100.8").post(SIGNUP, _signup_data(next(numbers)))

    statuses = [getattr(r, "status_code", r) for r in run_concurrently(sign_up, 20)]
    assert sorted(statuses) == [302] * 5 + [429] * 15
    assert User.objects.filter(username__startswith="learner").count() == 5


def test_redis_counts_when_configured(settings):
    import os

    if os.environ.get("REDIS_URL"):
        assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    elif os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail("REQUIRE_POSTGRES=1 runs must also set REDIS_URL: the limits live in Redis.")
    else:
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


# --- sign-up per address --------------------------------------------------------


@pytest.mark.django_db
def test_sixth_signup_from_one_address_in_an_hour_is_refused_and_creates_nobody(client):
    for n in range(5):
        assert client.post(SIGNUP, _signup_data(n)).status_code == 302
        client.logout()
    response = client.post(SIGNUP, _signup_data(5))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    body = response.content.decode()
    assert "Too many requests" in body and "Nothing was saved" in body
    assert not User.objects.filter(username="learner5").exists()
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.post(SIGNUP, _signup_data(6)).status_code == 302


@pytest.mark.django_db
def test_signups_with_errors_do_not_use_up_the_limit(client):
    for _ in range(8):
        assert client.post(SIGNUP, {**_signup_data(0), "password2": "typo"}).status_code == 400
    assert client.post(SIGNUP, _signup_data(0)).status_code == 302


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_escape_the_signup_limit(client):
    for n in range(5):
        client.post(SIGNUP, _signup_data(n), headers={"X-Forwarded-For": f"10.0.0.{n}"})
        client.logout()
    response = client.post(SIGNUP, _signup_data(9), headers={"X-Forwarded-For": "10.0.0.99"})
    assert response.status_code == 429


@pytest.mark.django_db
def test_signup_refusal_over_htmx_is_a_fragment(client, htmx_headers, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (1, 3600)}
    client.post(SIGNUP, _signup_data(0))
    client.logout()
    response = client.post(SIGNUP, _signup_data(1), headers=htmx_headers)
    assert response.status_code == 429 and response["Retry-After"]
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="message message-error" role="alert"')
    assert "<html" not in body


@pytest.mark.django_db
def test_signup_page_itself_is_never_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (1, 3600)}
    client.post(SIGNUP, _signup_data(0))
    client.logout()
    assert client.get(SIGNUP).status_code == 200


# --- quiz answers per learner ------------------------------------------------------


@pytest.mark.django_db
def test_answers_over_the_limit_are_refused_and_not_recorded(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "quiz-answer": (3, 60)}
    learner = UserFactory()
    client.force_login(learner)
    topic = TopicFactory()
    for _ in range(5):
        QuestionFactory(topic=topic, kind="single")
    run = quiz_run_start(user=learner, kind="topic", topic=topic)
    url = reverse("quiz:answer", args=[run.pk])
    for position in range(3):
        assert client.post(url, {"position": position, "choice": 0}).status_code == 302
    response = client.post(url, {"position": 3, "choice": 0})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "faster than anyone can read" in response.content.decode()
    assert 'href="/"' in response.content.decode(), "no link back to a POST-only address"
    came_from = f"http://testserver{reverse('quiz:run', args=[run.pk])}"
    refused = client.post(url, {"position": 3, "choice": 0}, headers={"Referer": came_from})
    assert f'href="{came_from}"' in refused.content.decode()
    elsewhere = client.post(url, {"position": 3}, headers={"Referer": "https://evil.example/"})
    assert "evil.example" not in elsewhere.content.decode()
    assert Answer.objects.filter(run=run).count() == 3
    other = Client()
    other.force_login(UserFactory())
    assert other.get(reverse("quiz:index")).status_code == 200


def test_the_default_limits_are_the_documented_ones(settings):
    assert settings.RATE_LIMITS == {
        "signup": (5, 3600),
        "quiz-answer": (60, 60),
        "login-failure": (30, 900),
        "email-resend": (3, 3600),
    }


# --- log-in failures per address, across usernames -----------------------------------


@pytest.mark.django_db
def test_password_spraying_from_one_address_is_refused_across_usernames(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-failure": (6, 900)}
    victims = [UserFactory() for _ in range(7)]
    for victim in victims[:6]:  # one guess each: axes' per-username lock never triggers
        response = client.post(LOGIN, {"username": victim.username, "password": "Summer2026!"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": victims[6].username, "password": PASSWORD})
    assert response.status_code == 429
    assert "whatever the usernames" in response.content.decode()
    assert int(response["Retry-After"]) >= 1
    assert "_auth_user_id" not in client.session
    elsewhere = Client(REMOTE_ADDR="198.51.100.30")
    response = elsewhere.post(LOGIN, {"username": victims[6].username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_successful_logins_do_not_count_as_failures(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-failure": (2, 900)}
    user = UserFactory()
    for _ in range(5):
        client = Client()
        assert (
            client.post(LOGIN, {"username": user.username, "password": PASSWORD}).status_code == 302
        )
    assert Client().post(LOGIN, {"username": "nobody", "password": "x"}).status_code == 200


@pytest.mark.django_db
def test_axes_locks_the_address_nginx_saw_not_the_proxy(settings):
    """Behind the trusted proxy, axes' username+address lock uses the forwarded address."""
    import ipaddress

    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1/32")]
    user = UserFactory()

    def attempt(address: str, password: str):
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)
        return client.post(LOGIN, {"username": user.username, "password": password})

    for _ in range(5):
        attempt("198.51.100.5", "wrong")
    assert attempt("198.51.100.5", PASSWORD).status_code == 429
    assert attempt("198.51.100.6", PASSWORD).status_code == 302
