import os

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# would otherwise refuse to be called from it in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def postgres_only(transactional_db):
    """Skip off PostgreSQL, but fail instead under REQUIRE_POSTGRES=1 (CI's second pass).

    Concurrency tests need real parallel transactions; SQLite serialises
    writers, so only PostgreSQL can prove an exactly-once rule.
    """
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but the tests are not running on PostgreSQL.")
        pytest.skip(
            "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/httpschool"
        )


@pytest.fixture
def htmx_headers():
    """Headers that make a test client request look like htmx's."""
    return {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fast_password_hashing(request):
    """PBKDF2's cost is the point in production and pure waiting in tests.

    The pure-Python suites (tests/sandbox) may run without pytest-django.
    """
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher"
        ]


@pytest.fixture(autouse=True)
def fresh_cache(request):
    """Rate-limit counters live in the cache; no test should inherit another's."""
    if request.config.pluginmanager.hasplugin("django"):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture
def curriculum_topics(db):
    """The real topic list in the database, as load_content leaves it before the banks load."""
    from curriculum.loader import curriculum_topics_load

    curriculum_topics_load()
