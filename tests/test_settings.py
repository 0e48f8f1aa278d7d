"""The production settings: `check --deploy` is clean and the dev key is refused."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "learn.example.org",
}


def test_check_deploy_is_clean_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_on_the_development_key():
    result = _manage("check", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="learn.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is the development key" in result.stderr


def test_bad_boolean_stops_the_process_with_the_variable_named():
    result = _manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


def test_bad_port_stops_the_process_with_the_variable_named():
    result = _manage("check", SANDBOX_PORT="99999")
    assert result.returncode != 0
    assert "SANDBOX_PORT=99999 is outside 1..65535" in result.stderr


@pytest.mark.parametrize(
    "url, expected",
    [
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp://mailer:s%40cret@mail.example.org:587?tls=true",
            {
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "mailer",
                "EMAIL_HOST_PASSWORD": "s@cret",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtps://u:p@mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
    ],
)
def test_email_url_is_parsed(url, expected):
    from config.email import email_settings

    settings = email_settings(url)
    assert {key: settings[key] for key in expected} == expected


def test_unknown_email_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from config.email import email_settings

    with pytest.raises(ImproperlyConfigured, match="'pigeon' is not one of"):
        email_settings("pigeon://coop")


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_the_page_loads_htmx_from_our_own_static_files(client):
    body = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in body or "django_htmx/htmx" in body
    assert "https://" not in body.split("<body")[0]


@pytest.mark.django_db
def test_admin_works_for_staff_and_not_for_learners(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (
        "/admin/",
        "/admin/quiz/question/",
        "/admin/challenges/challenge/",
        "/admin/classroom/studygroup/",
        "/admin/accounts/user/",
    ):
        assert client.get(url).status_code == 200, url
