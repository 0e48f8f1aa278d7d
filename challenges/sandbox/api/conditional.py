"""Validators and conditional requests (RFC 9110 §8.8 and §13): the one
code path every resource that sends ETag or Last-Modified goes through.

A handler describes its current state as `Validators` (what its 200 would
carry) and calls `precondition_reply()` at the point where, without
preconditions, it would succeed: after its 404, 403, 406 or 415 checks,
before it changes anything (RFC 9110 §13.2.1 says preconditions are ignored
when the answer would not have been 2xx or 412). A handler that serves
ranges asks `range_applies()` about If-Range.

The evaluation follows RFC 9110 §13.2.2 step by step:
1. If-Match (strong comparison; "*" holds when the resource exists), else
2. If-Unmodified-Since (ignored when If-Match is present);
   either failing answers 412.
3. If-None-Match (weak comparison): a match answers 304 to GET and HEAD,
   412 to any other method.
4. If-Modified-Since, only for GET and HEAD and only without If-None-Match:
   not modified since answers 304.
5. If-Range, only for GET with Range: an entity tag must match strongly, a
   date exactly; otherwise Range is ignored and the whole 200 is sent.
An ETag value includes its double quotes. A date that is not a valid
HTTP-date, or a field sent twice, is ignored (§13.1.3, §13.1.4).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from ..messages import ParsedRequest, Reply
from ..render import http_date, problem_reply

ENTITY_TAG = re.compile(r'\s*(W/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)')
PRECONDITIONS = ("if-match", "if-none-match", "if-modified-since", "if-unmodified-since")
# What a 304 repeats of the 200 it stands for (RFC 9110 §15.4.5).
NOT_MODIFIED_FIELDS = ("cache-control", "content-location", "etag", "expires", "vary")


@dataclass(frozen=True, slots=True)
class Validators:
    """The current state of a resource, as its 200 would describe it."""

    etag: str | None = None  # the selected representation's entity tag, quotes included
    last_modified: datetime | None = None
    # Entity tags of the resource's other current representations (a book's
    # CSV and HTML), which If-Match also accepts: each names the same state.
    other_etags: tuple[str, ...] = ()
    # Fields of the 200 that a 304 must repeat, such as Vary (the router
    # adds Cache-Control to both, from the route's freshness).
    fields: tuple[tuple[str, str], ...] = ()

    def headers(self) -> list[tuple[str, str]]:
        """ETag and Last-Modified, as a 200 (or a 206 or 304) sends them."""
        headers = []
        if self.etag is not None:
            headers.append(("ETag", self.etag))
        if self.last_modified is not None:
            headers.append(("Last-Modified", http_date(self.last_modified)))
        return headers


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a request's precondition did not hold: the status and the field."""

    status: int  # 304 or 412
    field: str  # the field as it is spelled in the RFC


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


def strong_match(header: str, tags: list[str]) -> bool:
    """If-Match and If-Range: both tags strong and character for character equal."""
    listed = parse_entity_tags(header)
    if listed == "*":  # any current representation: the caller has found the resource
        return True
    return any(not weak and tag in tags for weak, tag in listed)


def weak_match(header: str, tags: list[str]) -> bool:
    """If-None-Match: equal once any W/ is set aside (RFC 9110 §8.8.3.2)."""
    listed = parse_entity_tags(header)
    if listed == "*":
        return True
    return any(tag in tags for _, tag in listed)


def _single_date(request: ParsedRequest, name: str) -> datetime | None:
    """The date a field holds, or None when it is absent, invalid or sent
    more than once (a list of dates is not a valid value)."""
    values = request.header_values(name)
    return parse_http_date(values[0]) if len(values) == 1 else None


def failed_precondition(request: ParsedRequest, validators: Validators) -> Failure | None:
    """RFC 9110 §13.2.2 steps 1 to 4: None to go ahead, else the Failure."""
    if request.field_names.isdisjoint(PRECONDITIONS):
        return None
    selected = [validators.etag] if validators.etag else []
    every_current = selected + list(validators.other_etags)
    safe = request.method in ("GET", "HEAD")
    modified = validators.last_modified
    if_match = request.header("If-Match")
    if if_match is not None:
        if not strong_match(if_match, every_current):
            return Failure(412, "If-Match")
    else:
        since = _single_date(request, "If-Unmodified-Since")
        if since and modified and modified > since:
            return Failure(412, "If-Unmodified-Since")
    if_none_match = request.header("If-None-Match")
    if if_none_match is not None:
        # A read compares with the representation it would send; a write,
        # which changes them all, with every current one.
        if weak_match(if_none_match, selected if safe else every_current):
            return Failure(304 if safe else 412, "If-None-Match")
    elif safe:
        since = _single_date(request, "If-Modified-Since")
        if since and modified and modified <= since:
            return Failure(304, "If-Modified-Since")
    return None


def precondition_reply(
    request: ParsedRequest, validators: Validators, what: str = "this resource"
) -> Reply | None:
    """The 304 or 412 the request's preconditions call for, or None to go
    ahead. `what` names the resource in a 412's detail ("book 3")."""
    failure = failed_precondition(request, validators)
    if failure is None:
        return None
    if failure.status == 304:
        return Reply(304, [*validators.headers(), *_not_modified_fields(validators)])
    detail = _failure_detail(request, failure.field, validators, what)
    return problem_reply(412, detail, headers=validators.headers()[:1])


def range_applies(request: ParsedRequest, validators: Validators) -> bool:
    """RFC 9110 §13.2.2 step 5 (§13.1.5): whether to honour Range. False
    sends the whole representation with 200."""
    if request.method != "GET" or request.header("Range") is None:
        return False
    values = request.header_values("If-Range")
    if not values:
        return True
    if len(values) > 1:
        return False
    value = values[0].strip()
    if value.startswith(('"', 'W/"')):
        return validators.etag is not None and strong_match(value, [validators.etag])
    # A date validates only when it is exactly the resource's Last-Modified
    # (and a client should send one only when it has no entity tag).
    date = parse_http_date(value)
    return (
        date is not None
        and validators.last_modified is not None
        and (date == validators.last_modified)
    )


def _not_modified_fields(validators: Validators) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in validators.fields
        if name.lower() in NOT_MODIFIED_FIELDS and name.lower() != "etag"
    ]


def _failure_detail(request: ParsedRequest, field: str, validators: Validators, what: str) -> str:
    sent = f"{field}: {request.header(field)}"
    now_tag = f" (its ETag is now {validators.etag})" if validators.etag else ""
    if field == "If-Match" and parse_entity_tags(request.header(field)) == []:
        return (
            f"{sent} holds no entity tag: an ETag includes its double quotes, "
            f"as in If-Match: {validators.etag or '*'}."
        )
    if field == "If-Match":
        return (
            f"{sent} names a state that {what} is no longer in{now_tag}, so the precondition failed "
            "and nothing was done. GET it again, check the change, and retry with the new ETag."
        )
    if field == "If-Unmodified-Since":
        changed = http_date(validators.last_modified)
        return (
            f"{sent}, but {what} changed after that (Last-Modified: {changed}), so the precondition "
            "failed and nothing was done. GET it again and retry."
        )
    return (
        f'{sent} matches {what}{now_tag}. For a {request.method} that means "only if it is not '
        'there yet", so the precondition failed and nothing was done.'
    )
