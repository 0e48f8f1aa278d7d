"""Validators and conditional requests (RFC 9110 §8.8 and §13).

`evaluate_preconditions()` follows the order of RFC 9110 §13.2.2: If-Match,
then If-Unmodified-Since, then If-None-Match, then If-Modified-Since. Entity
tags are compared as the RFC says: strongly for If-Match, weakly for
If-None-Match. An ETag value includes its double quotes.
"""

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from ..messages import ParsedRequest

ENTITY_TAG = re.compile(r'\s*(W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)')


def parse_entity_tags(value: str) -> list[tuple[bool, str]] | str:
    """ "*", or the (weak, tag) pairs of a list of entity tags; malformed
    members (such as a tag without its quotes) are skipped."""
    if value.strip() == "*":
        return "*"
    tags = []
    position = 0
    while position < len(value):
        match = ENTITY_TAG.match(value, position)
        if not match:
            next_comma = value.find(",", position)
            if next_comma == -1:
                break
            position = next_comma + 1
            continue
        tags.append((bool(match.group(1)), match.group(2)))
        position = match.end()
    return tags


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _strong_match(header: str, current: list[str]) -> bool:
    tags = parse_entity_tags(header)
    if tags == "*":
        return True
    return any(not weak and tag in current for weak, tag in tags)


def _weak_match(header: str, current: list[str]) -> bool:
    tags = parse_entity_tags(header)
    if tags == "*":
        return True
    return any(tag in current for _, tag in tags)


PRECONDITIONS = ("if-match", "if-none-match", "if-modified-since", "if-unmodified-since")


def evaluate_preconditions(
    request: ParsedRequest, current_tags: list[str], last_modified: datetime | None
) -> int | None:
    """None to go ahead, 304 Not Modified, or 412 Precondition Failed.

    `current_tags` are the entity tags that identify the current state of the
    resource (several when it has several representations).
    """
    if request.field_names.isdisjoint(PRECONDITIONS):
        return None
    safe = request.method in ("GET", "HEAD")
    if_match = request.header("If-Match")
    if if_match is not None:
        if not _strong_match(if_match, current_tags):
            return 412
    else:
        since = parse_http_date(request.header("If-Unmodified-Since"))
        if since and last_modified and last_modified > since:
            return 412
    if_none_match = request.header("If-None-Match")
    if if_none_match is not None:
        if _weak_match(if_none_match, current_tags):
            return 304 if safe else 412
    elif safe:
        since = parse_http_date(request.header("If-Modified-Since"))
        if since and last_modified and last_modified <= since:
            return 304
    return None
