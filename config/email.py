"""Turn EMAIL_URL into Django's email settings.

Accepted forms:
    console://                    print emails to the console (the default)
    smtp://user:pass@host:587?tls=true
    smtps://user:pass@host:465    implicit TLS
    locmem://                     keep emails in memory (tests)
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def email_settings(url: str) -> dict:
    """Return a dict of EMAIL_* settings for the given EMAIL_URL."""
    parts = urlsplit(url)
    if parts.scheme not in _BACKENDS:
        known = ", ".join(sorted(_BACKENDS))
        raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not one of {known}.")
    settings = {"EMAIL_BACKEND": _BACKENDS[parts.scheme]}
    if parts.scheme in ("smtp", "smtps"):
        if not parts.hostname:
            raise ImproperlyConfigured(
                "EMAIL_URL needs a host, e.g. smtp://user:pass@mail.example:587"
            )
        query = parse_qs(parts.query)
        settings.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", ["false"])[0].lower() in ("1", "true", "yes"),
        )
    return settings
