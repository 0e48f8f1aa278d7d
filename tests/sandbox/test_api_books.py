"""The /books resources, driven by raw bytes through process()."""

import json

import pytest

from challenges.sandbox import LIMITS, fresh_state

from .support import build, run, statuses

BOOK = {"title": "Dune", "author": "Frank Herbert", "year": 1965, "isbn": "978-0-441-17271-9"}
JSON = "Content-Type: application/json"
ADA = "Authorization: Basic YWRhOmxvdmVsYWNl"  # ada:lovelace
GRACE = "Authorization: Basic Z3JhY2U6aG9wcGVy"  # grace:hopper


def response(raw: bytes, state: dict | None = None, index: int = -1):
    return run(raw, state).exchanges[index].response


def test_list_is_json_with_paging_fields_and_vary():
    reply = response(build("GET", "/books"))
    assert reply.status == 200
    assert reply.header("Content-Type") == "application/json"
    assert reply.header("Vary") == "Accept"
    document = json.loads(reply.body)
    assert [book["id"] for book in document["books"]] == [1, 2, 3, 4, 5, 6]
    assert (document["page"], document["per_page"], document["total"], document["pages"]) == (
        1,
        10,
        6,
        1,
    )


def test_list_filters_by_author_case_insensitively():
    document = json.loads(response(build("GET", "/books?author=LOVELACE")).body)
    assert [book["title"] for book in document["books"]] == ["Sketch of the Analytical Engine"]


def test_list_pages_with_link_header():
    reply = response(build("GET", "/books?page=2&per_page=2"))
    assert [book["id"] for book in json.loads(reply.body)["books"]] == [3, 4]
    assert reply.header("Link") == (
        '</books?page=1&per_page=2>; rel="first", </books?page=1&per_page=2>; rel="prev", '
        '</books?page=3&per_page=2>; rel="next", </books?page=3&per_page=2>; rel="last"'
    )


@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=51", "per_page=-1"])
def test_list_refuses_bad_paging(query):
    reply = response(build("GET", f"/books?{query}"))
    assert reply.status == 400
    assert reply.header("Content-Type") == "application/problem+json"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/*", "text/csv; charset=utf-8"),
        ("text/html", "text/html; charset=utf-8"),
        ("text/csv;q=0.4, text/html;q=0.8", "text/html; charset=utf-8"),
        ("application/json;q=0, */*;q=0.1", "text/csv; charset=utf-8"),
    ],
)
def test_list_is_negotiated(accept, content_type):
    fields = [f"Accept: {accept}"] if accept else []
    reply = response(build("GET", "/books", *fields))
    assert reply.status == 200
    assert reply.header("Content-Type") == content_type


def test_csv_rows_end_with_crlf():
    reply = response(build("GET", "/books?per_page=1", "Accept: text/csv"))
    assert (
        reply.body
        == b"id,title,author,year,isbn\r\n1,Pride and Prejudice,Jane Austen,1813,9780000000019\r\n"
    )


@pytest.mark.parametrize("accept", ["image/png", "application/json;q=0, text/*;q=0", "json"])
def test_nothing_acceptable_is_406(accept):
    reply = response(build("GET", "/books/1", f"Accept: {accept}"))
    assert reply.status == 406
    assert reply.header("Vary") == "Accept"
    assert json.loads(reply.body)["available"] == ["application/json", "text/csv", "text/html"]


def test_head_has_the_headers_of_get_and_no_body():
    get = response(build("GET", "/books", "Accept: text/html"))
    head = response(build("HEAD", "/books", "Accept: text/html"))
    assert head.status == 200
    assert head.body == b"" and head.raw.endswith(b"\r\n\r\n")
    assert head.headers == get.headers
    assert int(head.header("Content-Length")) == len(get.body)


def test_create_answers_201_with_location_and_etag():
    state = fresh_state()
    outcome = run(
        build("POST", "/books", JSON, body=json.dumps(BOOK)) + build("GET", "/books/7"), state
    )
    created, fetched = (exchange.response for exchange in outcome.exchanges)
    assert created.status == 201
    assert created.header("Location") == "/books/7"
    assert created.header("ETag") == '"book-7-v1"'
    assert json.loads(created.body) == {
        "id": 7,
        "title": "Dune",
        "author": "Frank Herbert",
        "year": 1965,
        "isbn": "9780441172719",
    }
    assert fetched.status == 200
    assert len(outcome.state["books"]) == 7 and len(state["books"]) == 6


def test_create_refuses_other_media_types_with_415_and_accept_post():
    reply = response(build("POST", "/books", "Content-Type: text/plain", body="Dune"))
    assert reply.status == 415
    assert reply.header("Accept-Post") == "application/json"


def test_create_with_malformed_json_is_400_problem_saying_where():
    reply = response(build("POST", "/books", JSON, body='{"title": "Dune",}'))
    assert reply.status == 400
    assert reply.header("Content-Type") == "application/problem+json"
    problem = json.loads(reply.body)
    assert problem["status"] == 400 and problem["title"] == "Bad Request"
    assert (problem["line"], problem["column"]) == (1, 18)


@pytest.mark.parametrize(
    ("document", "fields"),
    [
        ({}, ["title", "author", "year"]),
        ({"title": "Dune", "author": "F", "year": "1965"}, ["year"]),
        ({"title": "", "author": "F", "year": 1965}, ["title"]),
        ({"title": "Dune", "author": "F", "year": 1965, "isbn": "12"}, ["isbn"]),
        ({"title": "Dune", "author": "F", "year": 1965, "titel": "x"}, ["titel"]),
        ({"title": "Dune", "author": "F", "year": 1965, "id": 3}, ["id"]),
        (["Dune"], ["(body)"]),
    ],
)
def test_create_with_invalid_fields_is_422(document, fields):
    reply = response(build("POST", "/books", JSON, body=json.dumps(document)))
    assert reply.status == 422
    assert [error["field"] for error in json.loads(reply.body)["errors"]] == fields


def test_create_with_a_taken_isbn_is_409():
    reply = response(
        build("POST", "/books", JSON, body=json.dumps(dict(BOOK, isbn="9780000000019")))
    )
    assert reply.status == 409
    assert json.loads(reply.body)["existing"] == "/books/1"


def test_create_without_content_length_is_411():
    outcome = run(build("POST", "/books", JSON))
    assert statuses(outcome) == [411]


def test_create_past_the_cap_is_507():
    state = fresh_state()
    state["books"] = [dict(state["books"][0], id=n, isbn=None) for n in range(1, LIMITS.books + 1)]
    assert response(build("POST", "/books", JSON, body=json.dumps(BOOK)), state).status == 507


def test_one_book_has_validators_and_cache_control():
    reply = response(build("GET", "/books/1"))
    assert reply.status == 200
    assert reply.header("ETag") == '"book-1-v1"'
    assert reply.header("Last-Modified") == "Mon, 15 Jan 2024 09:30:00 GMT"
    assert reply.header("Cache-Control") == "max-age=60"
    assert reply.header("Vary") == "Accept"


def test_each_representation_has_its_own_etag():
    assert (
        response(build("GET", "/books/1", "Accept: text/csv")).header("ETag") == '"book-1-v1-csv"'
    )


@pytest.mark.parametrize(
    "condition",
    [
        'If-None-Match: "book-1-v1"',
        'If-None-Match: W/"book-1-v1"',
        'If-None-Match: "x", "book-1-v1"',
        "If-None-Match: *",
        "If-Modified-Since: Mon, 15 Jan 2024 09:30:00 GMT",
        "If-Modified-Since: Tue, 16 Jan 2024 00:00:00 GMT",
    ],
)
def test_revalidation_answers_304_without_a_body(condition):
    reply = response(build("GET", "/books/1", condition))
    assert reply.status == 304
    assert reply.body == b"" and reply.raw.endswith(b"\r\n\r\n")
    assert reply.header("Content-Length") is None
    assert reply.header("ETag") == '"book-1-v1"'


@pytest.mark.parametrize(
    "condition",
    [
        'If-None-Match: "book-1-v2"',
        "If-None-Match: book-1-v1",
        "If-Modified-Since: Sun, 14 Jan 2024 00:00:00 GMT",
        "If-Modified-Since: not a date",
        # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
        'If-None-Match: "old"\r\nIf-Modified-Since: Tue, 16 Jan 2024 00:00:00 GMT',
    ],
)
def test_changed_or_unparsable_conditions_get_the_full_book(condition):
    assert response(build("GET", "/books/1", condition)).status == 200


@pytest.mark.parametrize("target", ["/books/999", "/books/abc", "/books/1/nope"])
def test_unknown_book_is_404_problem(target):
    reply = response(build("GET", target))
    assert reply.status == 404
    assert reply.header("Content-Type") == "application/problem+json"


def put(book_id: int, *fields: str, body=None) -> bytes:
    return build("PUT", f"/books/{book_id}", JSON, *fields, body=json.dumps(body or BOOK))


def test_put_without_if_match_is_428():
    reply = response(put(1))
    assert reply.status == 428
    assert '"book-1-v1"' in json.loads(reply.body)["detail"]


def test_put_with_the_current_etag_replaces_and_bumps_the_version():
    state = fresh_state()
    outcome = run(put(1, 'If-Match: "book-1-v1"') + put(1, 'If-Match: "book-1-v1"'), state)
    replaced, stale = (exchange.response for exchange in outcome.exchanges)
    assert replaced.status == 200
    assert replaced.header("ETag") == '"book-1-v2"'
    assert replaced.header("Last-Modified") == "Sat, 01 Mar 2025 12:00:00 GMT"
    assert json.loads(replaced.body)["title"] == "Dune"
    assert stale.status == 412


@pytest.mark.parametrize(
    "condition",
    [
        'If-Match: "book-1-v9"',
        'If-Match: W/"book-1-v1"',
        "If-Match: book-1-v1",
        "If-Unmodified-Since: Sun, 14 Jan 2024 00:00:00 GMT\r\nIf-Match: *x",
    ],
)
def test_put_with_a_stale_or_weak_etag_is_412(condition):
    assert response(put(1, condition)).status == 412


def test_put_accepts_if_match_star_and_the_csv_etag():
    assert response(put(1, "If-Match: *")).status == 200
    assert response(put(1, 'If-Match: "book-1-v1-csv"')).status == 200


def test_put_checks_type_fields_and_existence():
    assert (
        response(
            build("PUT", "/books/1", "If-Match: *", "Content-Type: text/plain", body="x")
        ).status
        == 415
    )
    assert response(put(1, "If-Match: *", body={"title": "x"})).status == 422
    assert response(put(99, "If-Match: *")).status == 404
    assert response(put(2, "If-Match: *", body=dict(BOOK, isbn="9780000000019"))).status == 409


def test_put_answers_415_with_accept():
    reply = response(
        build("PUT", "/books/1", "If-Match: *", "Content-Type: application/xml", body="<b/>")
    )
    assert reply.header("Accept") == "application/json"


def patch(body: dict, content_type: str = "application/merge-patch+json") -> bytes:
    return build(
        "PATCH", "/books/2", "If-Match: *", f"Content-Type: {content_type}", body=json.dumps(body)
    )


def test_merge_patch_changes_only_the_members_sent():
    reply = response(patch({"year": 1831, "isbn": None}))
    assert reply.status == 200
    assert json.loads(reply.body) == {
        "id": 2,
        "title": "Frankenstein",
        "author": "Mary Shelley",
        "year": 1831,
        "isbn": None,
    }


def test_patch_needs_merge_patch_json():
    reply = response(patch({"year": 1831}, "application/json"))
    assert reply.status == 415
    assert reply.header("Accept-Patch") == "application/merge-patch+json"


def test_patch_cannot_remove_a_required_field():
    assert response(patch({"title": None})).status == 422


def test_delete_needs_credentials_then_an_admin():
    state = fresh_state()
    outcome = run(
        build("DELETE", "/books/3")
        + build("DELETE", "/books/3", GRACE)
        + build("DELETE", "/books/3", ADA)
        + build("DELETE", "/books/3", ADA)
        + build("GET", "/books/3"),
        state,
    )
    assert statuses(outcome) == [401, 403, 204, 404, 404]
    assert outcome.exchanges[0].response.header("WWW-Authenticate") == 'Bearer realm="sandbox"'
    assert outcome.exchanges[2].response.raw.endswith(b"\r\n\r\n")
    assert [book["id"] for book in outcome.state["books"]] == [1, 2, 4, 5, 6]


def test_delete_with_a_bearer_token():
    login = build("POST", "/login", JSON, body='{"username": "ada", "password": "lovelace"}')
    state = run(login).state
    token = next(iter(state["tokens"]))
    assert (
        response(build("DELETE", "/books/1", f"Authorization: Bearer {token}"), state).status == 204
    )


def test_delete_honours_if_match():
    assert response(build("DELETE", "/books/1", ADA, 'If-Match: "book-1-v7"')).status == 412


@pytest.mark.parametrize(
    ("method", "target", "allow"),
    [
        ("POST", "/books/1", "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"),
        ("DELETE", "/books", "GET, HEAD, POST, OPTIONS"),
        ("TRACE", "/books", "GET, HEAD, POST, OPTIONS"),
        ("PUT", "/books/1/excerpt", "GET, HEAD, OPTIONS"),
    ],
)
def test_refused_methods_get_405_with_allow(method, target, allow):
    reply = response(build(method, target))
    assert reply.status == 405
    assert reply.header("Allow") == allow


def test_options_lists_methods_and_accepted_patch_type():
    reply = response(build("OPTIONS", "/books/1"))
    assert reply.status == 204
    assert reply.header("Allow") == "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"
    assert reply.header("Accept-Patch") == "application/merge-patch+json"
    assert response(build("OPTIONS", "/books")).header("Accept-Post") == "application/json"


def test_options_star_describes_the_server():
    reply = response(build("OPTIONS", "*"))
    assert reply.status == 204
    assert reply.header("Allow") == "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
