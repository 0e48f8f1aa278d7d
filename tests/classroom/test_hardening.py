"""What instructors see of learners: sandbox keys hidden, CSV cells never formulas."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.redaction import KEY_MASK, exchange_text_for, sandbox_key_redacted
from challenges.models import RecordedExchange, Submission
from challenges.submissions import challenge_submit
from classroom.csv_cells import csv_cell
from classroom.services import assignment_create, set_save
from tests.factories import ChallengeFactory, UserFactory, group_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    instructor = UserFactory()
    learner = UserFactory(username="ada", display_name='=HYPERLINK("http://evil.example","x")')
    group = group_with(instructor, members=[learner])
    challenge = ChallengeFactory(slug="fetch", title="Fetch")
    challenge_set = set_save(
        author=instructor, title="S", description="", items=["challenge:fetch"]
    )
    assignment = assignment_create(actor=instructor, group=group, challenge_set=challenge_set)
    return {
        "instructor": instructor,
        "learner": learner,
        "challenge": challenge,
        "assignment": assignment,
        "cell": reverse(
            "classroom:cell",
            args=[group.pk, assignment.pk, learner.username, challenge_set.items.get().pk],
        ),
        "csv": reverse("classroom:matrix_csv", args=[group.pk, assignment.pk]),
    }


def _submit_with_key(world, *, upper: bool = False) -> Submission:
    learner = world["learner"]
    key = learner.sandbox_key.upper() if upper else learner.sandbox_key
    raw = f"GET /books/1 HTTP/1.1\r\nHost: {key}.sandbox.localhost\r\n\r\n".encode()
    challenge_submit(user=learner, challenge=world["challenge"], data=raw)
    submission = Submission.objects.get(user=learner)
    echoed = RecordedExchange.objects.create(
        user=learner,
        source=RecordedExchange.Source.TCP,
        raw_request=raw,
        raw_response=f"HTTP/1.1 201 Created\r\nLocation: http://{key}.sandbox.localhost/books/9\r\n\r\n".encode(),
        status=201,
    )
    submission.exchanges.add(echoed)
    submission.results = [
        *submission.results,
        {"check": "host", "passed": False, "message": f"Your Host was {key}.sandbox.localhost."},
    ]
    submission.save()
    return submission


@pytest.mark.parametrize("upper", [False, True])
def test_instructor_never_sees_the_learners_key_in_the_cell_page(client, world, upper):
    _submit_with_key(world, upper=upper)
    client.force_login(world["instructor"])
    body = client.get(world["cell"]).content.decode()
    assert world["learner"].sandbox_key not in body.lower()
    assert f"Host: {KEY_MASK}.sandbox.localhost" in body
    assert f"Location: http://{KEY_MASK}.sandbox.localhost/books/9" in body
    assert f"Your Host was {KEY_MASK}.sandbox.localhost." in body


def test_the_learner_still_sees_their_own_key_on_their_attempt(client, world):
    submission = _submit_with_key(world)
    client.force_login(world["learner"])
    body = client.get(reverse("challenges:submission", args=[submission.pk])).content.decode()
    assert world["learner"].sandbox_key in body
    assert KEY_MASK not in body


def test_exchange_text_is_whole_for_its_owner_and_masked_for_anyone_else():
    owner, other = UserFactory(), UserFactory()
    text = f"Host: {owner.sandbox_key}.sandbox.localhost"
    assert exchange_text_for(owner, owner, text) == text
    assert exchange_text_for(other, owner, text) == f"Host: {KEY_MASK}.sandbox.localhost"
    assert exchange_text_for(None, owner, text) == f"Host: {KEY_MASK}.sandbox.localhost"
    assert sandbox_key_redacted("no key here", "") == "no key here"


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ada", "Ada"),
        ("a=b", "a=b"),
        (3, 3),
    ],
)
def test_csv_cell_quotes_what_a_spreadsheet_would_evaluate(value, expected):
    assert csv_cell(value) == expected


def test_progress_csv_turns_a_formula_display_name_into_text(client, world):
    client.force_login(world["instructor"])
    rows = list(csv.reader(io.StringIO(client.get(world["csv"]).content.decode())))
    [ada] = [row for row in rows if row[0] == "ada"]
    assert ada[1] == '\'=HYPERLINK("http://evil.example","x")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
