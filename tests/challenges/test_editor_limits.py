"""The editor reads request lines as long as the TCP sandbox does: up to
8 KiB (RFC 9112 §3 recommends at least 8,000 octets), 414 past that."""

import pytest
from django.urls import reverse

from challenges.models import RecordedExchange
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db


def request_text(line_octets: int) -> str:
    fixed = len("GET /echo?q= HTTP/1.1\r\n")
    return f"GET /echo?q={'a' * (line_octets - fixed)} HTTP/1.1\nHost: sandbox.localhost\n\n"


@pytest.mark.parametrize(("octets", "status"), [(7_000, 200), (8_000, 200), (8_200, 414)])
def test_the_editor_reads_request_lines_up_to_8_kib(client, octets, status):
    client.force_login(UserFactory())
    challenge = ChallengeFactory()
    response = client.post(
        reverse("challenges:send", args=[challenge.slug]),
        {"request": request_text(octets), "line_endings": "crlf"},
    )
    assert response.status_code == 200
    recorded = RecordedExchange.objects.get()
    assert recorded.status == status
    if status == 200:
        assert bytes(recorded.raw_request).index(b"\r\n") + 2 == octets
    assert len(recorded.target) <= 300
