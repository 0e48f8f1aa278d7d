"""Settings for the HTTP learning site, read from the environment.

With no variables set it runs for development: DEBUG on, a SQLite file beside
manage.py, an in-memory cache, emails printed to the console. Production sets
DJANGO_DEBUG=false, a real DJANGO_SECRET_KEY, DATABASE_URL and REDIS_URL; the
settings then refuse to start on the development key and turn on every
`check --deploy` protection. `.env.example` lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.email import email_settings
from config.env import env_bool, env_int, env_list, env_networks, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "django-insecure-development-key-never-use-in-production"

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is false but DJANGO_SECRET_KEY is the development key or shorter than "
        "50 characters. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "accounts",
    "curriculum",
    "quiz",
    "challenges",
    "classroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.TimezoneMiddleware",
    "accounts.middleware.LearnerHeaderMiddleware",
    "accounts.middleware.MethodNotAllowedMiddleware",
    # Axes last: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.new_badges",
                "accounts.context_processors.daily_goal",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins and others wait for
    # it, instead of failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "httpschool"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read from the cache (Redis in production) and written through to
# the database, which stays the record: a flushed cache logs nobody out, and a
# signed-in page costs one cache read instead of one query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Brute-force protection: 5 failures for one username from one address lock
# that pair out for 15 minutes. Counted in the database, so every app process
# sees the same count. Spraying many usernames from one address is refused by
# the "login-failure" rate limit below instead: axes has one failure limit for
# every lock it keeps, and 5 would lock out a whole classroom behind one NAT.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "accounts.ratelimit.client_address"

# The client's address: REMOTE_ADDR, unless the request comes from one of these
# proxies, which then say in X-Forwarded-For whom they serve (deploy/nginx
# replaces that header with the address it saw). Default: no proxy is trusted.
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES")
if env_str("AXES_PROXY_COUNT"):
    raise ImproperlyConfigured(
        "AXES_PROXY_COUNT is gone: list the proxies' addresses in DJANGO_TRUSTED_PROXIES instead "
        "(e.g. 127.0.0.1,::1 for nginx on the same machine)."
    )

# Abuse limits, as events/period (s, m, h or d): see accounts/ratelimit.py.
RATE_LIMITS = {
    "signup": env_rate("RATE_LIMIT_SIGNUP", "5/h"),  # accounts created per address
    "quiz-answer": env_rate("RATE_LIMIT_QUIZ_ANSWER", "60/m"),  # answers per learner
    "login-failure": env_rate("RATE_LIMIT_LOGIN_FAILURES", "30/15m"),  # per address
    "email-resend": env_rate("RATE_LIMIT_EMAIL_RESEND", "3/h"),  # confirmation mails per learner
}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Development and tests look files up on each request; production serves the collected set.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

globals().update(email_settings(env_str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "HTTP School <noreply@localhost>")

# Every script lives in a static file: no inline script, no eval, no CDN.
# Styles too, except the <style> element the request editor (CodeMirror) writes
# its base theme into: that one carries the page's nonce. django-csp sends a
# nonce only on pages that read request.csp_nonce (those with an editor).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are only sent over HTTPS to this exact host, path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Scripts never read the CSRF cookie: htmx sends the token from <body hx-headers>
# and forms from their hidden field, so the cookie can be hidden from scripts.
CSRF_COOKIE_HTTPONLY = True

# The TCP sandbox server (`python manage.py sandbox`).
SANDBOX_HOST = env_str("SANDBOX_HOST", "127.0.0.1")
SANDBOX_PORT = env_int("SANDBOX_PORT", 8080, minimum=1, maximum=65535)
SANDBOX_PUBLIC_HOST = env_str("SANDBOX_PUBLIC_HOST", "sandbox.localhost")
# Requests a minute one learner key may send to the TCP sandbox before it answers 429.
SANDBOX_KEY_REQUESTS_PER_MINUTE = env_int("SANDBOX_KEY_REQUESTS_PER_MINUTE", 120, minimum=1)
# How often the TCP sandbox writes its batch of recorded exchanges (milliseconds).
SANDBOX_RECORD_INTERVAL_MS = env_int("SANDBOX_RECORD_INTERVAL_MS", 50, minimum=1, maximum=100)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Axes logs every successful log-in at INFO; lock-outs are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}
