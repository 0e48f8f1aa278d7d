"""How long a cache may reuse each answer (RFC 9111 §4.2, §5.2.2).

A response to GET or HEAD with one of the heuristically cacheable statuses
(RFC 9110 §15.1) and no Cache-Control or Expires may be stored and reused
for a lifetime the cache invents, often a tenth of the time since
Last-Modified (RFC 9111 §4.2.2). The bookshop never leaves that to chance:
each resource says how fresh its answers stay, and everything else (errors,
answers to writes, answers that count or describe one request) says
no-store. See "Freshness" in API.md.
"""

from ..messages import Reply

# RFC 9110 §15.1: statuses a cache may reuse with a heuristic lifetime.
HEURISTICALLY_CACHEABLE = frozenset({200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501})
CACHEABLE_METHODS = ("GET", "HEAD")

BOOK = "max-age=60"  # one book changes only when someone PUTs, PATCHes or DELETEs it
BOOK_LIST = "max-age=10"  # the list changes with any book, so it stays fresh briefly
EXCERPT = "max-age=86400"  # the excerpts are fixed texts, and carry a strong ETag
INDEX = "max-age=3600"  # the API's table of contents
ORDER = "max-age=60"  # an order is never changed once placed
ORDER_LIST = "no-cache"  # any POST adds to it: reuse only after asking again
PERMANENT_REDIRECT = "max-age=86400"
TEMPORARY_REDIRECT = "no-cache"
NO_STORE = "no-store"  # nothing to reuse: errors, writes, counters, echoes


def has_freshness(reply: Reply) -> bool:
    return any(name.lower() in ("cache-control", "expires") for name, _ in reply.headers)


def with_freshness(reply: Reply, method: str, lifetime: str) -> Reply:
    """`reply` with a Cache-Control field if it needs one and has none:
    `lifetime` for a successful (or 304) answer to GET or HEAD, no-store
    for any other answer a cache could otherwise reuse."""
    if has_freshness(reply):
        return reply
    if reply.status < 400 and method in CACHEABLE_METHODS:
        chosen = lifetime
    elif reply.status in HEURISTICALLY_CACHEABLE:
        chosen = NO_STORE
    else:
        return reply
    return Reply(reply.status, [*reply.headers, ("Cache-Control", chosen)], reply.body)
