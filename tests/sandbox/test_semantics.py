"""semantics.py reads field values and targets the way RFC 9110/9112 define them."""

from datetime import UTC, datetime

import pytest

from challenges.sandbox.semantics import (
    EntityTag,
    accept_quality,
    auth_scheme,
    cache_directives,
    cookie_value,
    field_values_mean_the_same,
    http_date,
    media_type,
    origin_form,
    parse_entity_tags,
    split_list,
    tag_matches,
)


def test_lists_split_outside_quotes_and_drop_empty_elements():
    assert split_list(' a ,, "b,c" ,\td ,') == ["a", '"b,c"', "d"]


@pytest.mark.parametrize(
    "value",
    [
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        " APPLICATION/json ;CHARSET=UTF-8 ",
    ],
)
def test_json_media_types_mean_json(value):
    assert field_values_mean_the_same("Content-Type", value, "application/json")


@pytest.mark.parametrize("value", ["application/merge-patch+json", "text/json", "application", ""])
def test_other_media_types_are_not_json(value):
    assert not field_values_mean_the_same("content-type", value, "application/json")


def test_a_wanted_parameter_must_be_there_with_its_value():
    assert field_values_mean_the_same(
        "Content-Type", 'text/csv; charset="UTF-8"', "text/csv; charset=utf-8"
    )
    assert not field_values_mean_the_same("Content-Type", "text/csv", "text/csv; charset=utf-8")
    assert media_type("text/*") is None


@pytest.mark.parametrize(
    "accept, offered, weight",
    [
        ("text/html, text/csv;q=0.5", "text/csv", 0.5),
        ("text/html, text/csv;q=0", "text/csv", 0.0),
        ("TEXT/CSV;Q=0.3", "text/csv", 0.3),
        ("text/*;q=0.2, */*;q=0.1", "text/csv", 0.2),
        ("*/*;q=0.1", "text/csv", 0.1),
        ("text/csv;q=0, */*", "text/csv", 0.0),  # the most specific range decides
        ("text/csv;charset=utf-8", "text/csv", 1.0),
        ("application/json", "text/csv", 0.0),
        ("text/csv;q=2", "text/csv", 0.0),  # an invalid weight spoils its range
        (None, "text/csv", 1.0),  # no Accept: anything goes
    ],
)
def test_accept_gives_the_weight_of_the_most_specific_range(accept, offered, weight):
    assert accept_quality(accept, offered) == weight


def test_entity_tag_lists_star_and_malformed_values():
    assert parse_entity_tags('"x", W/"book-1-v1"') == [
        EntityTag(False, "x"),
        EntityTag(True, "book-1-v1"),
    ]
    assert parse_entity_tags(" * ") == "*"
    assert parse_entity_tags("book-1-v1") is None  # no quotes: not an entity tag
    assert parse_entity_tags('w/"x"') is None  # W/ is case-sensitive


@pytest.mark.parametrize(
    "sent, current, strong, weak",
    [
        ('"v1"', '"v1"', True, True),
        ('W/"v1"', '"v1"', False, True),
        ('"v1"', 'W/"v1"', False, True),
        ('W/"v1"', 'W/"v1"', False, True),
        ('"v1"', '"v2"', False, False),
    ],
)
def test_strong_and_weak_comparison_follow_rfc_9110_section_8_8_3_2(sent, current, strong, weak):
    (a,), (b,) = parse_entity_tags(sent), parse_entity_tags(current)
    assert tag_matches(a, b, strong=True) is strong
    assert tag_matches(a, b, strong=False) is weak


def test_the_three_http_date_formats_name_the_same_moment():
    moment = datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)
    assert http_date("Sun, 06 Nov 1994 08:49:37 GMT") == moment
    assert http_date("Sunday, 06-Nov-94 08:49:37 GMT") == moment
    assert http_date("Sun Nov  6 08:49:37 1994") == moment
    assert http_date("yesterday") is None
    assert field_values_mean_the_same(
        "Last-Modified", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"
    )


@pytest.mark.parametrize(
    "target, path",
    [
        ("/books", "/books"),
        ("http://sandbox.localhost/books", "/books"),
        ("HTTP://Sandbox.Localhost:80/books?author=Austen", "/books?author=Austen"),
        ("http://sandbox.localhost", "/"),
        ("/books/%31", "/books/1"),  # an escaped unreserved character is the character
        ("/a%2fb", "/a%2Fb"),  # an escaped slash is not a slash
        ("ftp://sandbox.localhost/books", None),
        ("sandbox.localhost:80", None),
        ("*", "*"),
    ],
)
def test_targets_in_origin_and_absolute_form_name_their_resource(target, path):
    assert origin_form(target) == path


def test_token_lists_directives_credentials_and_cookies():
    assert field_values_mean_the_same("Vary", "accept , Accept-Encoding", "Accept-Encoding, Accept")
    assert field_values_mean_the_same("Connection", "Close", "close")
    assert not field_values_mean_the_same("Allow", "get", "GET")  # methods keep their case
    assert cache_directives('Max-Age="60", no-cache') == {"max-age": "60", "no-cache": None}
    assert field_values_mean_the_same("Cache-Control", "MAX-AGE=60", "max-age=60")
    assert auth_scheme("bearer  abc ") == ("bearer", "abc")
    assert auth_scheme(None) is None
    assert cookie_value(["theme=dark; session=ab12", "x=1"], "session") == "ab12"
    assert cookie_value(["sessionx=1"], "session") is None
    assert not field_values_mean_the_same("Idempotent-Replayed", "True", "true")
    assert field_values_mean_the_same("Idempotent-Replayed", " true ", "true")
