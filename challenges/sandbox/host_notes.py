"""Which host a request is for: the target's authority when the target is in
absolute form (`GET http://host/path HTTP/1.1`), else the Host field.

RFC 9112 §3.2.2: a server that receives an absolute-form target must ignore
Host and use the target's authority. `named_host()` reads that from raw bytes
(the TCP server picks the learner's bookshop by it before anything is
parsed); `with_host_notes()` adds a warning to each exchange whose Host
disagrees with its absolute-form target. Both read with regular expressions,
never with urlsplit, which raises on a stray bracket.
"""

import re

from .diagnostics import CODES, Diagnostic, shown
from .messages import Exchange, Outcome

__all__ = ["named_host", "with_host_notes"]

HOST_DISAGREES = "host-disagrees-with-target"
_REQUEST_LINE = re.compile(rb"^[\r\n]*[^ \r\n]+[ \t]+([^ \t\r\n]+)")
_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)")
_HOST_LINE = re.compile(rb"^host[ \t]*:[ \t]*([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def named_host(raw_request: bytes) -> str | None:
    """The authority the request is for, lower-cased and without userinfo (None if none is named)."""
    head = raw_request.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    line = _REQUEST_LINE.match(head)
    if line:
        target = _absolute_authority(line.group(1).decode("latin-1"))
        if target is not None:
            return target
    host = _HOST_LINE.search(head)
    return host.group(1).decode("latin-1").strip().lower() if host else None


def _absolute_authority(target: str) -> str | None:
    """The target's authority (lower-cased, no userinfo, no default port), if it is in absolute form."""
    match = _ABSOLUTE.match(target)
    if not match:
        return None
    scheme, authority = match.group(1).lower(), match.group(2).rsplit("@", 1)[-1].lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default and authority.endswith(default):
        authority = authority[: -len(default)]
    return authority


def with_host_notes(outcome: Outcome, data: bytes) -> Outcome:
    """Return `outcome` with a `host-disagrees-with-target` warning on every
    exchange whose Host field names another host than its absolute-form target.
    Responses are not changed: the request was already answered for the target's host."""
    notes, position = [], 0
    for exchange in outcome.exchanges:
        start = data.find(exchange.raw_request, position)
        if start == -1:
            break
        position = start + len(exchange.raw_request)
        note = _host_note(exchange, data, start)
        if note is not None:
            exchange.diagnostics.append(note)
            exchange.diagnostics.sort(key=_position)
            notes.append(note)
    if not notes:
        return outcome
    return Outcome(
        sorted([*outcome.diagnostics, *notes], key=_position), outcome.exchanges, outcome.state
    )


def _host_note(exchange: Exchange, data: bytes, start: int) -> Diagnostic | None:
    request = exchange.request
    if request is None:
        return None
    target = _absolute_authority(request.target)
    host = request.header("Host")
    if target is None or host is None:
        return None
    scheme = request.target.split(":", 1)[0].lower()
    said = host.strip().lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default and said.endswith(default):
        said = said[: -len(default)]
    if said == target:
        return None
    field = _HOST_LINE.search(exchange.raw_request)
    offset = start + (field.start(1) if field else 0)
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    message = (
        f'The request target names the host "{shown(target.encode())}", but the Host field says '
        f'"{shown(host.strip().encode())}". When the target is in absolute form, a server must ignore Host '
        f'and use the target\'s host, so this request went to "{shown(target.encode())}". A client sends '
        "the same host in both: make Host match the target."
    )
    info = CODES[HOST_DISAGREES]
    return Diagnostic(
        HOST_DISAGREES, line, column, info.severity, message, info.rfc, f"Host: {target}"
    )


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.line, diagnostic.column
