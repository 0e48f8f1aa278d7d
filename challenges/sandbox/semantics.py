"""What a field value or a request-target means, for graders that judge meaning.

Two requests that HTTP says are the same must get the same grade, however
their bytes differ. So the grader never compares values as strings: it reads
them with the grammar of their field (RFC 9110) and compares what it read.

- Lists (§5.6.1): elements split on commas outside quoted strings, optional
  whitespace dropped, empty elements ignored.
- Media types (§8.3.1): type and subtype case-insensitive, parameters after
  `;` with case-insensitive names, quoted or not; a charset value is
  case-insensitive too (§8.3.2).
- Accept (§12.5.1): each media range has a weight, 1 by default; a type takes
  the weight of the most specific range that matches it, and weight 0 means
  "not acceptable".
- Entity tags (§8.8.3): `"opaque"` or `W/"opaque"`, lists of them, or `*`;
  compared strongly (both strong and identical) or weakly (same opaque part).
- HTTP-dates (§5.6.7): IMF-fixdate and the two obsolete formats a recipient
  must still accept.
- Request-targets (RFC 9112 §3.2): origin form and absolute form name the same
  resource when their path and query are the same; percent-encoded unreserved
  characters are the characters themselves (RFC 3986 §6.2.2).

This module imports nothing from the sandbox: it is the bottom layer.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urlsplit

__all__ = [
    "EntityTag",
    "MediaType",
    "accept_quality",
    "auth_scheme",
    "cache_directives",
    "cookie_value",
    "field_values_mean_the_same",
    "http_date",
    "media_type",
    "origin_form",
    "parse_entity_tags",
    "split_list",
    "tag_matches",
]

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")
_ENTITY_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_OWS = " \t"


def split_list(value: str, separator: str = ",") -> list[str]:
    """The elements of a list, split outside quoted strings, trimmed, empty ones dropped."""
    elements, current, quoted, escaped = [], [], False, False
    for character in value:
        if escaped:
            escaped = False
        elif quoted and character == "\\":
            escaped = True
        elif character == '"':
            quoted = not quoted
        elif character == separator and not quoted:
            elements.append("".join(current))
            current = []
            continue
        current.append(character)
    elements.append("".join(current))
    return [element.strip(_OWS) for element in elements if element.strip(_OWS)]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


# --- media types and Accept -----------------------------------------------------------


class MediaType(NamedTuple):
    type: str  # lower-cased
    subtype: str  # lower-cased
    parameters: tuple[tuple[str, str], ...]  # (lower-cased name, value), q excluded

    def __str__(self) -> str:
        return f"{self.type}/{self.subtype}" + "".join(f";{n}={v}" for n, v in self.parameters)

    def has_parameters_of(self, other: MediaType) -> bool:
        """True when every parameter of `other` is also one of ours, with the same value."""
        return set(other.parameters) <= set(self.parameters)


def _media(text: str) -> tuple[MediaType, float] | None:
    """A media type or range with its weight (1 without q), or None if malformed."""
    head, _, rest = text.partition(";")
    parameters = split_list(rest, ";")
    kind, slash, subtype = head.strip(_OWS).partition("/")
    if not (slash and _TOKEN.fullmatch(kind) and _TOKEN.fullmatch(subtype)):
        return None
    weight, pairs = 1.0, []
    for parameter in parameters:
        name, equals, raw = parameter.partition("=")
        name = name.strip(_OWS).lower()
        if not equals or not _TOKEN.fullmatch(name):
            return None
        value = _unquote(raw.strip(_OWS))
        if name == "q":
            if not _QVALUE.fullmatch(value):
                return None
            weight = float(value)
            break  # what follows q are accept-ext parameters, not the type's
        pairs.append((name, value.lower() if name == "charset" else value))
    return MediaType(kind.lower(), subtype.lower(), tuple(sorted(pairs))), weight


def media_type(value: str | None) -> MediaType | None:
    """The media type in a Content-Type value, or None when it is missing or malformed."""
    if value is None:
        return None
    parsed = _media(value.strip(_OWS))
    return parsed[0] if parsed and "*" not in (parsed[0].type, parsed[0].subtype) else None


def media_ranges(value: str) -> list[tuple[MediaType, float]]:
    """The well-formed media ranges of an Accept value with their weights, in order."""
    ranges = [_media(element) for element in split_list(value)]
    return [found for found in ranges if found is not None]


def accept_quality(accept: str | None, offered: str | MediaType) -> float:
    """How welcome `offered` is under this Accept value: the weight of the most
    specific matching range, 0 when no range matches (or its weight is 0).
    A request without Accept accepts everything."""
    if accept is None:
        return 1.0
    wanted = media_type(offered) if isinstance(offered, str) else offered
    if wanted is None:
        return 0.0
    best: tuple[int, float] | None = None
    for media_range, weight in media_ranges(accept):
        specificity = _specificity(media_range, wanted)
        if specificity is not None and (best is None or specificity > best[0]):
            best = (specificity, weight)
    return best[1] if best else 0.0


def _specificity(media_range: MediaType, wanted: MediaType) -> int | None:
    if media_range.type == "*":
        return 0 if media_range.subtype == "*" and not media_range.parameters else None
    if media_range.type != wanted.type:
        return None
    if media_range.subtype == "*":
        return 1
    if media_range.subtype != wanted.subtype:
        return None
    # A range's parameters narrow it (text/csv;charset=utf-8 is more specific
    # than text/csv) only when the type asked about names parameters at all:
    # asked "is CSV welcome?", a range for UTF-8 CSV says yes.
    if wanted.parameters and not wanted.has_parameters_of(media_range):
        return None
    return 2 + (len(media_range.parameters) if wanted.parameters else 0)


# --- entity tags ----------------------------------------------------------------------


class EntityTag(NamedTuple):
    weak: bool
    opaque: str  # between the double quotes

    def __str__(self) -> str:
        return f'{"W/" if self.weak else ""}"{self.opaque}"'


def parse_entity_tags(value: str | None) -> list[EntityTag] | str | None:
    """ "*", the entity tags of a list, or None when the value is missing or any member is malformed."""
    if value is None:
        return None
    if value.strip(_OWS) == "*":
        return "*"
    tags = []
    for element in split_list(value):
        match = _ENTITY_TAG.fullmatch(element)
        if not match:
            return None
        tags.append(EntityTag(bool(match.group(1)), match.group(2)))
    return tags or None


def tag_matches(sent: EntityTag, current: EntityTag, *, strong: bool) -> bool:
    """Strong comparison (If-Match, §13.1.1): both strong and the same.
    Weak comparison (If-None-Match, §13.1.2): the same opaque part."""
    if strong:
        return not sent.weak and not current.weak and sent.opaque == current.opaque
    return sent.opaque == current.opaque


# --- dates, directives, credentials, cookies ------------------------------------------

_DATE_FORMATS = (
    "%a, %d %b %Y %H:%M:%S GMT",  # IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    "%A, %d-%b-%y %H:%M:%S GMT",  # RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
    "%a %b %d %H:%M:%S %Y",  # asctime: Sun Nov  6 08:49:37 1994
)


def http_date(value: str | None) -> datetime | None:
    """The moment an HTTP-date names (in any of its three formats), or None."""
    if value is None:
        return None
    text = " ".join(value.split())
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def cache_directives(value: str) -> dict[str, str | None]:
    """Cache-Control directives by lower-cased name; values unquoted (RFC 9111 §5.2)."""
    directives = {}
    for element in split_list(value):
        name, equals, raw = element.partition("=")
        directives[name.strip(_OWS).lower()] = _unquote(raw.strip(_OWS)) if equals else None
    return directives


def auth_scheme(value: str | None) -> tuple[str, str] | None:
    """(lower-cased scheme, credentials) of an Authorization value (RFC 9110 §11.4), or None."""
    if value is None:
        return None
    scheme, _, credentials = value.strip(_OWS).partition(" ")
    if not _TOKEN.fullmatch(scheme):
        return None
    return scheme.lower(), credentials.strip(_OWS)


def cookie_value(cookie_fields: list[str], name: str) -> str | None:
    """The value of cookie `name` in the request's Cookie field(s), or None (RFC 6265 §4.2)."""
    for field in cookie_fields:
        for pair in split_list(field, ";"):
            key, equals, value = pair.partition("=")
            if equals and key.strip(_OWS) == name:
                return _unquote(value.strip(_OWS))
    return None


# --- request-targets ------------------------------------------------------------------


def origin_form(target: str) -> str | None:
    """The path and query a request-target names, normalised; None for a target
    that names no path (authority form, or an absolute URI that is not http(s)).
    `*` stays `*`."""
    if target == "*":
        return target
    if not target.startswith("/"):
        if "://" not in target:
            return None
        parts = urlsplit(target)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return None
        target = (parts.path or "/") + (f"?{parts.query}" if "?" in target else "")
    return _PERCENT.sub(_normalise_escape, target.split("#", 1)[0])


def _normalise_escape(match: re.Match) -> str:
    character = chr(int(match.group(1), 16))
    return character if character in _UNRESERVED else f"%{match.group(1).upper()}"


# --- field values by their field's grammar --------------------------------------------

_TOKEN_SETS = {"connection", "vary", "te", "upgrade", "accept-ranges", "trailer"}
_TOKEN_SEQUENCES = {"transfer-encoding", "content-encoding"}
_CASE_SENSITIVE_SETS = {"allow"}  # method names are case-sensitive (RFC 9110 §9.1)
_MEDIA_TYPES = {"content-type"}
_MEDIA_TYPE_LISTS = {"accept-patch", "accept-post"}
_ENTITY_TAG_FIELDS = {"etag", "if-match", "if-none-match"}
_DATE_FIELDS = {"date", "last-modified", "expires", "if-modified-since", "if-unmodified-since"}


def field_values_mean_the_same(name: str, actual: str, expected: str) -> bool:
    """Whether two values of field `name` say the same thing under its grammar.
    For Content-Type, `actual` may carry parameters that `expected` leaves out
    (a charset on JSON changes nothing). Fields this module has no grammar for
    are compared exactly, optional whitespace around them aside."""
    key = name.lower()
    if key in _MEDIA_TYPES:
        got, wanted = media_type(actual), media_type(expected)
        return bool(got and wanted) and got[:2] == wanted[:2] and got.has_parameters_of(wanted)
    if key in _MEDIA_TYPE_LISTS:
        return {media_type(e) for e in split_list(actual)} == {
            media_type(e) for e in split_list(expected)
        }
    if key == "accept":
        return set(media_ranges(actual)) == set(media_ranges(expected))
    if key in _TOKEN_SETS:
        return {e.lower() for e in split_list(actual)} == {e.lower() for e in split_list(expected)}
    if key in _TOKEN_SEQUENCES:
        return [e.lower() for e in split_list(actual)] == [e.lower() for e in split_list(expected)]
    if key in _CASE_SENSITIVE_SETS:
        return set(split_list(actual)) == set(split_list(expected))
    if key == "cache-control":
        return cache_directives(actual) == cache_directives(expected)
    if key in _ENTITY_TAG_FIELDS:
        got, wanted = parse_entity_tags(actual), parse_entity_tags(expected)
        if got is None or wanted is None or isinstance(got, str) or isinstance(wanted, str):
            return got is not None and got == wanted
        return set(got) == set(wanted)
    if key in _DATE_FIELDS:
        moment = http_date(actual)
        return moment is not None and moment == http_date(expected)
    return actual.strip(_OWS) == expected.strip(_OWS)
