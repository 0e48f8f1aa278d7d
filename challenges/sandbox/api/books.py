"""The /books collection and /books/{id}: CRUD with real HTTP semantics.

Reads are negotiated (JSON, CSV, HTML) and carry validators; writes are JSON
only. Replacing or patching a book requires If-Match with its current ETag
(428 without it), so two clients can never silently overwrite each other's
changes (the "lost update" of RFC 9110 §13.1.1). Deleting needs an admin.
"""

import re
from urllib.parse import quote_plus

from ..limits import LIMITS
from ..messages import Reply
from ..render import json_body, problem_reply
from .auth import require_identity
from .catalog import (
    CONTENT_TYPES,
    OFFERED,
    REPRESENTATIONS,
    all_entity_tags,
    entity_tag,
    find_book,
    isbn_owner,
    last_modified,
    public,
    render_book,
    render_books,
    validate_book,
    validator_headers,
)
from .common import (
    JSON,
    Call,
    invalid_fields,
    json_reply,
    length_required,
    media_type,
    read_json,
    read_only,
    unsupported_media_type,
)
from .conditional import Validators, precondition_reply
from .negotiation import choose_media_type

MERGE_PATCH = "application/merge-patch+json"
VARY = ("Vary", "Accept")
MAX_PER_PAGE = 50
PAGE_NUMBER = re.compile(r"[0-9]{1,7}")


@read_only
def list_books(call: Call) -> Reply:
    variant = _negotiate(call)
    if isinstance(variant, Reply):
        return variant
    query = call.request.query
    paging = _paging(query)
    if isinstance(paging, Reply):
        return paging
    page, per_page = paging
    author = query.get("author", [""])[0].strip()
    books = [book for book in call.state["books"] if author.lower() in book["author"].lower()]
    last_page = max(1, -(-len(books) // per_page))
    shown = books[(page - 1) * per_page : page * per_page]
    headers = [VARY, ("Content-Type", CONTENT_TYPES[variant])]
    links = _page_links(page, per_page, last_page, author)
    if links:
        headers.append(("Link", links))
    if variant == "json":
        document = {
            "books": [public(book) for book in shown],
            "page": page,
            "per_page": per_page,
            "total": len(books),
            "pages": last_page,
        }
        return Reply(200, headers, json_body(document))
    return Reply(200, headers, render_books(shown, variant))


def create_book(call: Call) -> Reply:
    refusal = _json_body_refusal(call, JSON, "Accept-Post")
    if refusal:
        return refusal
    document, problem = read_json(call.request)
    if problem:
        return problem
    book, errors = validate_book(document, call.now)
    if errors:
        return invalid_fields(errors)
    owner = isbn_owner(call.state, book["isbn"])
    if owner:
        return _isbn_conflict(owner)
    if len(call.state["books"]) >= LIMITS.books:
        return problem_reply(
            507,
            f"Your bookshop already holds {LIMITS.books} books, the sandbox's limit. Delete some first.",
        )
    book = {"id": call.state["next_book_id"], **book, "version": 1, "updated_at": call.timestamp}
    call.state["next_book_id"] += 1
    call.state["books"].append(book)
    location = ("Location", f"/books/{book['id']}")
    return json_reply(201, public(book), [location, *validator_headers(book, "json", call.now)])


@read_only
def get_book(call: Call) -> Reply:
    book = find_book(call.state, call.params["id"])
    if book is None:
        return _no_such_book(call.params["id"])
    variant = _negotiate(call)
    if isinstance(variant, Reply):
        return variant
    validators = _validators(call, book, variant)
    refusal = precondition_reply(call.request, validators, f"book {book['id']}")
    if refusal:
        return refusal
    # Cache-Control comes from the route (see router.py), on the 304 as well.
    headers = [VARY, ("Content-Type", CONTENT_TYPES[variant]), *validators.headers()]
    body = json_body(public(book)) if variant == "json" else render_book(book, variant)
    return Reply(200, headers, body)


def _validators(call: Call, book: dict, variant: str = "json") -> Validators:
    """The book's validators: the variant's tag, with the other variants'
    tags, which name the same state, for If-Match."""
    tag = entity_tag(book, variant)
    return Validators(
        etag=tag,
        last_modified=last_modified(book, call.now),
        other_etags=tuple(other for other in all_entity_tags(book) if other != tag),
        fields=(VARY,),
    )


def replace_book(call: Call) -> Reply:
    return _update(call, JSON, "Accept", _replacement)


def patch_book(call: Call) -> Reply:
    return _update(call, MERGE_PATCH, "Accept-Patch", _merge_patch)


def delete_book(call: Call) -> Reply:
    book = find_book(call.state, call.params["id"])
    identity = require_identity(call)
    if isinstance(identity, Reply):
        return identity
    if identity.role != "admin":
        return problem_reply(
            403, f"{identity.username} is signed in, but only an admin may delete books."
        )
    if book is None:
        return _no_such_book(call.params["id"])
    refusal = _precondition_refusal(call, book)
    if refusal:
        return refusal
    call.state["books"].remove(book)
    return Reply(204)


def _update(call: Call, accepted: str, advertise: str, apply) -> Reply:
    book = find_book(call.state, call.params["id"])
    if book is None:
        return _no_such_book(call.params["id"])
    refusal = _json_body_refusal(call, accepted, advertise)
    if refusal:
        return refusal
    if call.request.header("If-Match") is None:
        return problem_reply(
            428,
            f"Changing a book needs If-Match with the ETag you last saw (now {entity_tag(book)}), so that you "
            "never overwrite a change you have not seen. GET the book, then send its ETag in If-Match.",
        )
    refusal = _precondition_refusal(call, book)
    if refusal:
        return refusal
    document, problem = read_json(call.request)
    if problem:
        return problem
    changes, errors = apply(book, document, call)
    if errors:
        return invalid_fields(errors)
    owner = isbn_owner(call.state, changes["isbn"], except_id=book["id"])
    if owner:
        return _isbn_conflict(owner)
    book.update(changes, version=book["version"] + 1, updated_at=call.timestamp)
    return json_reply(200, public(book), validator_headers(book, "json", call.now))


def _replacement(book: dict, document, call: Call):
    return validate_book(document, call.now, book_id=book["id"])


def _merge_patch(book: dict, document, call: Call):
    """RFC 7396: members replace, null removes, the rest stays."""
    if not isinstance(document, dict):
        return {}, [{"field": "(body)", "detail": "a merge patch for a book must be a JSON object"}]
    merged = public(book)
    for name, value in document.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return validate_book(merged, call.now, book_id=book["id"])


def _json_body_refusal(call: Call, accepted: str, advertise: str) -> Reply | None:
    missing_length = length_required(call.request)
    if missing_length:
        return missing_length
    if media_type(call.request) != accepted:
        return unsupported_media_type(call.request, [accepted], advertise)
    return None


def _precondition_refusal(call: Call, book: dict) -> Reply | None:
    return precondition_reply(call.request, _validators(call, book), f"book {book['id']}")


def _negotiate(call: Call) -> str | Reply:
    chosen = choose_media_type(call.request.header("Accept"), OFFERED)
    if chosen is None:
        return problem_reply(
            406,
            f'Accept is "{call.request.header("Accept")}", but this resource comes only as {", ".join(OFFERED)}.',
            headers=[VARY],
            available=OFFERED,
        )
    return REPRESENTATIONS[chosen]


def _paging(query: dict[str, list[str]]) -> tuple[int, int] | Reply:
    values = []
    for name, default, highest in (("page", 1, 10**6), ("per_page", 10, MAX_PER_PAGE)):
        raw = query.get(name, [str(default)])[0]
        if not PAGE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= highest:
            return problem_reply(
                400, f'?{name}= must be a whole number from 1 to {highest}, not "{raw}".'
            )
        values.append(int(raw))
    return values[0], values[1]


def _page_links(page: int, per_page: int, last_page: int, author: str) -> str:
    # What urlencode() writes for author, page and per_page, built directly.
    by_author = f"author={quote_plus(author)}&" if author else ""

    def link(number: int, relation: str) -> str:
        return f'</books?{by_author}page={number}&per_page={per_page}>; rel="{relation}"'

    links = [link(1, "first")]
    if page > 1:
        links.append(link(min(page - 1, last_page), "prev"))
    if page < last_page:
        links.append(link(page + 1, "next"))
    links.append(link(last_page, "last"))
    return ", ".join(links)


def _no_such_book(book_id: str) -> Reply:
    return problem_reply(
        404, f"There is no book {book_id} in your bookshop. GET /books lists the ones there are."
    )


def _isbn_conflict(owner: dict) -> Reply:
    return problem_reply(
        409,
        f"Book {owner['id']} already has the ISBN {owner['isbn']}; two books cannot share one.",
        existing=f"/books/{owner['id']}",
    )
