"""The dashboard's content caches follow `load_content`, and its learner data stays the learner's.

The misconceptions (the vocabulary of 'What you may believe') are content, kept
per content version; the evidence is the learner's own and read every time.
"""

import shutil

import pytest
from django.urls import reverse

from challenges.sandbox import DIAGNOSTIC_CODES
from challenges.services import sandbox_send
from curriculum.loader import misconceptions_load
from curriculum.misconceptions import DEFAULT_PATH as MISCONCEPTIONS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BARE_LF = b"GET /books/1 HTTP/1.1\nHost: sandbox.localhost\n\n"
BELIEF = "A bare LF ends a line just as well as CRLF."


@pytest.fixture
def misconceptions_file(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        misconceptions_load(DIAGNOSTIC_CODES)
    copy = tmp_path / "misconceptions.yaml"
    shutil.copy(MISCONCEPTIONS, copy)
    return copy


def test_a_reload_shows_the_new_wording_of_a_belief(
    client, misconceptions_file, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    sandbox_send(user=learner, data=BARE_LF, source="editor")
    client.force_login(learner)
    assert BELIEF in client.get(reverse("dashboard")).content.decode()

    text = misconceptions_file.read_text(encoding="utf-8")
    assert f"belief: {BELIEF}" in text
    misconceptions_file.write_text(
        text.replace(f"belief: {BELIEF}", "belief: A lone LF is as good as CRLF."), encoding="utf-8"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        misconceptions_load(DIAGNOSTIC_CODES, misconceptions_file)
    assert callbacks, "the misconceptions loader registered no content-version bump"

    page = client.get(reverse("dashboard")).content.decode()
    assert "A lone LF is as good as CRLF." in page and BELIEF not in page


def test_one_learners_beliefs_are_never_shown_to_another(client, misconceptions_file):
    alice, bob = UserFactory(), UserFactory()
    sandbox_send(user=alice, data=BARE_LF, source="editor")
    for viewer, shown in ((alice, True), (bob, False), (alice, True)):
        client.force_login(viewer)
        response = client.get(reverse("dashboard"))
        assert (BELIEF in response.content.decode()) == shown
        assert bool(response.context["beliefs"]) == shown
