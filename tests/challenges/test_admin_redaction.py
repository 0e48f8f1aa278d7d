"""Staff reading the admin are not the learner: a recorded exchange's key stays hidden there too."""

import pytest
from django.urls import reverse

from challenges.services import sandbox_send
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _keyed_exchange():
    learner = UserFactory()
    key = learner.sandbox_key
    raw = f"GET http://{key}.sandbox.localhost/books/1 HTTP/1.1\r\nHost: {key}.sandbox.localhost\r\n\r\n"
    _, (row,) = sandbox_send(user=learner, data=raw.encode(), source="tcp")
    return learner, row


def test_the_exchange_list_and_page_hide_the_learners_key(client):
    learner, row = _keyed_exchange()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:challenges_recordedexchange_changelist"))
    page = client.get(reverse("admin:challenges_recordedexchange_change", args=[row.pk]))
    assert listing.status_code == page.status_code == 200
    for body in (listing.content.decode(), page.content.decode()):
        assert learner.sandbox_key not in body.lower()
    assert "[learner-key]" in page.content.decode()


def test_a_submissions_results_are_shown_with_the_key_hidden(client):
    from challenges.models import Submission

    learner, row = _keyed_exchange()
    submission = Submission.objects.create(
        user=learner,
        challenge=ChallengeFactory(),
        step=0,
        source="tcp",
        raw_request=b"",
        results=[{"check": "x", "passed": True, "message": f"Host is {learner.sandbox_key}"}],
        passed=True,
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    body = client.get(reverse("admin:challenges_submission_change", args=[submission.pk]))
    assert body.status_code == 200
    assert learner.sandbox_key not in body.content.decode().lower()
