"""The request and response records that `process()` hands back.

They are read, never changed, once made. They are not frozen dataclasses
all the same: every request makes five of them, and a frozen dataclass is
built about four times slower (its __init__ goes through
object.__setattr__ for every field).
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from .authority import split_url
from .diagnostics import Diagnostic


class _worked_out_once:
    """Like functools.cached_property (the value is stored in the instance's
    __dict__), without the lock Python 3.11 takes on every first access."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass
class ParsedRequest:
    method: str
    target: str
    http_version: str  # "1.1" or "1.0"
    headers: list[tuple[str, str]]  # in order, names spelled as the learner wrote them
    body: bytes

    def header(self, name: str) -> str | None:
        """The field's value (several lines joined with ", "), or None; names
        are compared case-insensitively, as RFC 9110 §5.1 says."""
        values = self._values_by_name.get(name.lower())
        return ", ".join(values) if values else None

    def header_values(self, name: str) -> list[str]:
        return list(self._values_by_name.get(name.lower(), ()))

    @property
    def field_names(self):
        """The lower-cased names of the fields the request has (a set-like view)."""
        return self._values_by_name.keys()

    @property
    def path(self) -> str:
        """The path of the target ("*" for OPTIONS *), without query or fragment."""
        return self._path_and_query[0]

    @property
    def query(self) -> dict[str, list[str]]:
        query = self._path_and_query[1]
        return parse_qs(query, keep_blank_values=True) if query else {}

    # Handlers look fields and the path up many times per request: both are
    # worked out once.
    @_worked_out_once
    def _values_by_name(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for key, value in self.headers:
            values.setdefault(key.lower(), []).append(value)
        return values

    @_worked_out_once
    def _path_and_query(self) -> tuple[str, str]:
        target = self.target.split("#", 1)[0]
        if target == "*" or target.startswith("/"):
            path, _, query = target.partition("?")
            return path, query
        if "://" not in target:
            return target, ""  # authority-form (host:port), only meaningful to CONNECT
        parts = split_url(target.encode("latin-1"))  # absolute-form: http://host/path?query
        return parts.path.decode("latin-1") or "/", parts.query.decode("latin-1")

    def to_dict(self) -> dict:
        return {
            "method": self.method,
            "target": self.target,
            "http_version": self.http_version,
            "headers": [list(pair) for pair in self.headers],
            "body": self.body.decode("utf-8", "replace"),
        }


@dataclass(slots=True)
class Reply:
    """What an API handler answers, before the server adds its own fields."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


@dataclass(slots=True)
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes  # what was sent: empty for HEAD, 204 and 304
    raw: bytes  # the exact bytes on the wire

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        values = [value for key, value in self.headers if key.lower() == wanted]
        return ", ".join(values) if values else None

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "reason": self.reason,
            "headers": [list(pair) for pair in self.headers],
            "body": self.body.decode("utf-8", "replace"),
        }


@dataclass(slots=True)
class Exchange:
    request: ParsedRequest | None  # None when the bytes could not be read as a request
    response: Response
    diagnostics: list[Diagnostic]
    raw_request: bytes  # the exact slice of the input this exchange consumed
    closes_connection: bool = False

    def to_dict(self) -> dict:
        return {
            "request": self.request.to_dict() if self.request else None,
            "response": self.response.to_dict(),
            "diagnostics": [diagnostic.to_dict() for diagnostic in self.diagnostics],
            "raw_request": self.raw_request.decode("utf-8", "replace"),
            "closes_connection": self.closes_connection,
        }


@dataclass(slots=True)
class Outcome:
    diagnostics: list[Diagnostic]  # every finding over the whole input, by line and column
    exchanges: list[Exchange]
    state: dict

    @property
    def raw_response(self) -> bytes:
        return b"".join(exchange.response.raw for exchange in self.exchanges)

    @property
    def closes_connection(self) -> bool:
        """True when a server would close the connection after these responses."""
        return any(exchange.closes_connection for exchange in self.exchanges)
