"""Accept parsing and choosing a representation (RFC 9110 §12.5.1)."""

import pytest

from challenges.sandbox.api.negotiation import choose_media_type, parse_accept

OFFERED = ["application/json", "text/csv", "text/html"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/json"),
        ("", "application/json"),
        ("*/*", "application/json"),
        ("text/html", "text/html"),
        ("TEXT/HTML", "text/html"),
        ("text/*", "text/csv"),
        ("text/*;q=0.5, text/html", "text/html"),
        ("text/html;q=0.2, application/json;q=0.1", "text/html"),
        ("text/html;q=0.5, text/csv;q=0.5", "text/csv"),  # a tie goes to the server's preference
        ("*/*;q=0.1, application/json;q=0", "text/csv"),
        ("text/*, text/csv;q=0", "text/html"),  # the more specific range wins
        ("application/xml", None),
        ("*/*;q=0", None),
        ("text/html;q=2", None),  # an invalid weight drops the range
        ("json", None),
        ("text/html;level=1", "text/html"),
        ("*/json", None),
    ],
)
def test_choose_media_type(accept, chosen):
    assert choose_media_type(accept, OFFERED) == chosen


def test_parse_accept_keeps_weights_and_skips_nonsense():
    ranges = parse_accept("text/html;q=0.7, nonsense, */*;q=0.001")
    assert [(r.type, r.subtype, r.weight) for r in ranges] == [
        ("text", "html", 0.7),
        ("*", "*", 0.001),
    ]
