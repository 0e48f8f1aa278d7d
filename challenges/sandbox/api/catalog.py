"""Books as data: looking them up, checking what a client sends, and the
three representations (JSON, CSV, HTML) a client can negotiate."""

import csv
import html
import io
import re
from datetime import UTC, datetime

from ..render import http_date
from .common import JSON

CSV = "text/csv; charset=utf-8"
HTML = "text/html; charset=utf-8"
REPRESENTATIONS = {"application/json": "json", "text/csv": "csv", "text/html": "html"}
OFFERED = list(REPRESENTATIONS)
CONTENT_TYPES = {"json": JSON, "csv": CSV, "html": HTML}
WRITABLE = ("title", "author", "year", "isbn")
COLUMNS = ("id", "title", "author", "year", "isbn")
ISBN = re.compile(r"[0-9]{13}|[0-9]{9}[0-9X]")


def find_book(state: dict, book_id: str) -> dict | None:
    return next((book for book in state["books"] if str(book["id"]) == book_id), None)


def public(book: dict) -> dict:
    """What a client sees of a book: bookkeeping fields stay inside."""
    return {column: book.get(column) for column in COLUMNS}


def entity_tag(book: dict, variant: str = "json") -> str:
    suffix = "" if variant == "json" else f"-{variant}"
    return f'"book-{book["id"]}-v{book["version"]}{suffix}"'


def all_entity_tags(book: dict) -> list[str]:
    return [entity_tag(book, variant) for variant in CONTENT_TYPES]


def last_modified(book: dict, now: datetime) -> datetime:
    # A server must not claim a change later than the response's own Date.
    changed = datetime.fromtimestamp(int(book["updated_at"]), UTC)
    return min(changed, now.replace(microsecond=0))


def validator_headers(book: dict, variant: str, now: datetime) -> list[tuple[str, str]]:
    return [
        ("ETag", entity_tag(book, variant)),
        ("Last-Modified", http_date(last_modified(book, now))),
    ]


def validate_book(
    document, now: datetime, *, book_id: int | None = None
) -> tuple[dict, list[dict]]:
    """The writable fields of a complete book, and the problems found.
    `book_id` is the id in the URL when replacing: a matching "id" is allowed."""
    if not isinstance(document, dict):
        return {}, [{"field": "(body)", "detail": 'must be a JSON object such as {"title": ...}'}]
    errors = []
    unknown = sorted(set(document) - set(WRITABLE) - {"id"})
    if unknown:
        errors.append(
            {
                "field": ", ".join(unknown),
                "detail": f"unknown field; a book has {', '.join(WRITABLE)}",
            }
        )
    if "id" in document and document["id"] != book_id:
        detail = (
            "is assigned by the server"
            if book_id is None
            else f"must be {book_id}, the id in the URL, or left out"
        )
        errors.append({"field": "id", "detail": detail})
    clean = {}
    for name in ("title", "author"):
        value = document.get(name)
        if not isinstance(value, str) or not value.strip():
            errors.append({"field": name, "detail": "is required and must be a non-empty string"})
        elif len(value) > 200:
            errors.append({"field": name, "detail": "must be at most 200 characters"})
        else:
            clean[name] = value.strip()
    year = document.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        errors.append(
            {"field": "year", "detail": "is required and must be a whole number, such as 1851"}
        )
    elif not -3000 <= year <= now.year:
        errors.append({"field": "year", "detail": f"must be between -3000 and {now.year}"})
    else:
        clean["year"] = year
    isbn = document.get("isbn")
    if isbn is None:
        clean["isbn"] = None
    elif (digits := _isbn_digits(isbn)) is None:
        errors.append(
            {
                "field": "isbn",
                "detail": "must be an ISBN of 10 or 13 digits (hyphens allowed), or null",
            }
        )
    else:
        clean["isbn"] = digits
    return clean, errors


def _isbn_digits(value) -> str | None:
    """The ISBN without hyphens or spaces, or None if it is not one. An
    ISBN-10 may end in X (its check digit 10)."""
    if not isinstance(value, str):
        return None
    digits = value.replace("-", "").replace(" ", "").upper()
    return digits if ISBN.fullmatch(digits) else None


def isbn_owner(state: dict, isbn: str | None, except_id: int | None = None) -> dict | None:
    if not isbn:
        return None
    return next(
        (book for book in state["books"] if book.get("isbn") == isbn and book["id"] != except_id),
        None,
    )


def render_books(books: list[dict], variant: str) -> bytes:
    """A list of books as CSV or HTML (JSON lists carry paging fields and
    are built by the handler)."""
    if variant == "csv":
        return _csv(books)
    if variant == "html":
        rows = "".join(_html_row(book) for book in books)
        return _html_page(
            "Books", f"<table>\n<tr><th>{'</th><th>'.join(COLUMNS)}</th></tr>\n{rows}</table>"
        )
    raise ValueError(variant)


def render_book(book: dict, variant: str) -> bytes:
    if variant == "csv":
        return _csv([book])
    if variant == "html":
        items = "".join(
            f"<dt>{name}</dt><dd>{html.escape(str(public(book)[name]))}</dd>\n"
            for name in COLUMNS[1:]
        )
        return _html_page(html.escape(book["title"]), f"<dl>\n{items}</dl>")
    raise ValueError(variant)


def _csv(books: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 rows end with CRLF
    writer.writerow(COLUMNS)
    for book in books:
        writer.writerow(
            ["" if public(book)[column] is None else public(book)[column] for column in COLUMNS]
        )
    return buffer.getvalue().encode("utf-8")


def _html_row(book: dict) -> str:
    cells = "".join(
        f"<td>{html.escape(str(public(book)[column] or ''))}</td>" for column in COLUMNS
    )
    return f"<tr>{cells}</tr>\n"


def _html_page(title: str, content: str) -> bytes:
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n{content}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
