"""Host values and URL authorities, read by their grammar rather than by urllib.

`urllib.parse.urlsplit()` raises ValueError on a stray bracket ("Host: [/"),
and the sandbox must never raise on a learner's bytes. So the sandbox reads
a Host field (RFC 9112 §3.2: uri-host [":" port]) and the authority of an
absolute-form target (RFC 3986 §3.2) here, with regular expressions that
follow the ABNF and match or fail, never raise. An IPv6 literal is checked
by `ipaddress`, whose ValueError is caught here and means "not a host".
"""

import ipaddress
import re
from typing import NamedTuple

# unreserved / sub-delims (RFC 3986 §2.2, §2.3): the characters a reg-name
# may hold as they are; anything else must be percent-encoded.
_NAME_CHARS = rb"A-Za-z0-9\-._~!$&'()*+,;="
_REG_NAME = rb"(?:[" + _NAME_CHARS + rb"]|%[0-9A-Fa-f]{2})*"
# IP-literal = "[" ( IPv6address / IPvFuture ) "]"; the IPv6 part is checked below.
_IP_LITERAL = rb"\[(?:[0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\.[" + _NAME_CHARS + rb":]+)\]"
HOST_AND_PORT = re.compile(rb"(" + _IP_LITERAL + rb"|" + _REG_NAME + rb")(?::[0-9]*)?")
# RFC 3986 Appendix B: splits any string into the five parts of a URI reference.
_URI_PARTS = re.compile(rb"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.S)


class URLParts(NamedTuple):
    scheme: bytes  # empty when there is none
    authority: bytes | None  # None when there is no "//"
    path: bytes
    query: bytes


def valid_host(value: bytes) -> bool:
    """Whether `value` is a valid Host field value: a host name, IPv4
    address or bracketed IP literal, with an optional port."""
    match = HOST_AND_PORT.fullmatch(value)
    if match is None:
        return False
    host = match.group(1)
    if host.startswith(b"[") and host[1:2] not in (b"v", b"V"):
        try:
            ipaddress.IPv6Address(host[1:-1].decode("ascii"))
        except ValueError:
            return False
    return True


def split_url(url: bytes) -> URLParts:
    """The parts of `url` as RFC 3986 Appendix B splits them (any bytes split)."""
    scheme, authority, path, query, _ = _URI_PARTS.fullmatch(url).groups()
    return URLParts(scheme or b"", authority, path, query or b"")


def host_of(authority: bytes) -> bytes:
    """The host and port of an authority, without any user info."""
    return authority.rpartition(b"@")[2]
