"""The page loads htmx the same way with DEBUG on and off (issue 10, point 1)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_pages_load_htmx_without_the_debug_error_helper(client, settings, debug):
    settings.DEBUG = debug
    html = client.get(reverse("home")).content.decode()
    assert "django_htmx/htmx-2.min.js" in html
    # Its DEBUG-only helper replaced the whole document with any 400 fragment.
    assert "django-htmx.js" not in html
