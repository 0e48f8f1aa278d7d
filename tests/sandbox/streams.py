"""Sample requests and mutations for the property and framing tests."""

from hypothesis import strategies as st

from .support import build, crlf

BOOK = '{"title": "Dune", "author": "Frank Herbert", "year": 1965}'
VALID_REQUESTS = [
    build("GET", "/"),
    build("GET", "/books?author=austen&page=1&per_page=2", "Accept: text/csv"),
    build("GET", "/books/1", 'If-None-Match: "book-1-v1"'),
    build("HEAD", "/books/2", "Accept: text/html"),
    build("POST", "/books", "Content-Type: application/json", body=BOOK),
    build("PUT", "/books/1", 'If-Match: "book-1-v1"', "Content-Type: application/json", body=BOOK),
    build(
        "PATCH",
        "/books/2",
        "If-Match: *",
        "Content-Type: application/merge-patch+json",
        body='{"year": 1819}',
    ),
    build("DELETE", "/books/3", "Authorization: Basic YWRhOmxvdmVsYWNl"),
    build(
        "POST",
        "/login",
        "Content-Type: application/json",
        body='{"username": "ada", "password": "lovelace"}',
    ),
    build(
        "POST",
        "/login",
        "Content-Type: application/x-www-form-urlencoded",
        body="username=grace&password=hopper",
    ),
    build(
        "POST",
        "/orders",
        "Content-Type: application/json",
        'Idempotency-Key: "k-1"',
        body='{"book_id": 1}',
    ),
    build("GET", "/books/3/excerpt", "Range: bytes=0-9"),
    build("GET", "/limited"),
    build("OPTIONS", "*"),
    build("TRACE", "/echo"),
    crlf(
        "POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n5\nhello\n6;note=1\n world\n0\nX-Trailer: yes\n\n"
    ),
    crlf("GET /me HTTP/1.0\nConnection: keep-alive\n\n"),
    b"GET /echo HTTP/1.1\nHost: x\nX-Bare: lf\n\n",
    b"\r\nGET /teapot HTTP/1.1\r\nHost: x\r\n\r\n",
]
BROKEN_REQUESTS = [
    crlf("get / HTTP/1.1\nHost: x\n\n"),
    crlf("GET / HTTP/1.1\nHost : x\n\n"),
    crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 10\n\n{}"),
    crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 1\n\n{}"),
    crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 5\nTransfer-Encoding: chunked\n\n0\n\n"),
    crlf("POST /echo HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n10\n0123456789\n0\n\n"),
    crlf("GET / HTTP/2\nHost: x\n\n"),
    crlf("GET / HTTP/1.1\nHost: x\n"),
    b"GET /" + b"a" * 4200 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    crlf("GET / HTTP/1.1\nHost: x\nX-Big: ") + b"b" * 16500 + b"\r\n\r\n",
    b"\r\n" * 2100 + crlf("GET / HTTP/1.1\nHost: x\n\n"),
    crlf("POST /echo HTTP/1.1\nHost: x\nContent-Length: 40000\n\n"),
]
NOISE = b' \t\r\n:;,/"=-_.*#%?&0123456789aAzZ{}\x00\x7f\x80\xff'


@st.composite
def mutated(draw, templates=VALID_REQUESTS + BROKEN_REQUESTS) -> bytes:
    """A sample request with a few random edits of the kinds people make."""
    raw = bytearray(draw(st.sampled_from(templates)))
    for _ in range(draw(st.integers(0, 4))):
        edit = draw(
            st.sampled_from(["insert", "delete", "replace", "bare-lf", "truncate", "duplicate"])
        )
        position = draw(st.integers(0, len(raw)))
        if edit == "insert":
            raw[position:position] = draw(
                st.binary(min_size=1, max_size=4).map(
                    lambda b: bytes(NOISE[x % len(NOISE)] for x in b)
                )
            )
        elif edit == "delete":
            del raw[position : position + draw(st.integers(1, 6))]
        elif edit == "replace" and position < len(raw):
            raw[position] = NOISE[draw(st.integers(0, len(NOISE) - 1))]
        elif edit == "bare-lf":
            raw = bytearray(bytes(raw).replace(b"\r\n", b"\n", draw(st.integers(1, 3))))
        elif edit == "truncate":
            del raw[position:]
        elif edit == "duplicate":
            start = raw.rfind(b"\n", 0, position) + 1
            end = raw.find(b"\n", position)
            if end != -1:
                raw[end + 1 : end + 1] = raw[start : end + 1]
    return bytes(raw)


@st.composite
def streams(draw) -> bytes:
    """One connection's worth of requests, mostly valid, sometimes not."""
    parts = draw(
        st.lists(
            st.one_of(st.sampled_from(VALID_REQUESTS), st.sampled_from(BROKEN_REQUESTS), mutated()),
            min_size=1,
            max_size=5,
        )
    )
    return b"".join(parts)


@st.composite
def split_points(draw, stream: bytes) -> list[int]:
    if not stream:
        return []
    cuts = draw(st.lists(st.integers(1, max(1, len(stream) - 1)), max_size=8))
    return sorted(set(cuts))


# The parts a Host value (RFC 9112 §3.2, RFC 3986 §3.2) is made of, and the
# ones people get wrong: brackets, colons, percent signs, IPv6 literals,
# user info and URL pieces. The strategy that fed the properties before had
# none of these, and missed a crash on "Host: [/" in 10,000 examples.
HOST_PIECES = [
    "sandbox.localhost",
    "example.org",
    "127.0.0.1",
    "[::1]",
    "[2001:db8::7]",
    "[::ffff:192.0.2.1]",
    "[v1.fe80::a+en1]",
    "[fe80::1%25eth0]",
    "[",
    "]",
    ":",
    ":8080",
    ":",
    "%",
    "%41",
    "%zz",
    "@",
    "user:pw@",
    "ada@",
    "/",
    "//",
    "http://",
    "?",
    "#",
    "x",
    "1",
    " ",
    "\t",
    "*",
    ".",
    "-",
]


@st.composite
def host_values(draw) -> str:
    pieces = draw(st.lists(st.sampled_from(HOST_PIECES), min_size=0, max_size=6))
    return "".join(pieces).strip(" \t")


@st.composite
def requests_with_hosts(draw) -> bytes:
    """A request whose Host value (and sometimes absolute-form target) is drawn
    from HOST_PIECES."""
    host = draw(host_values())
    target = draw(st.sampled_from(["/", "/books", f"http://{host}/books", "*"]))
    method = "OPTIONS" if target == "*" else draw(st.sampled_from(["GET", "HEAD", "POST"]))
    return crlf(f"{method} {target} HTTP/1.1\nHost: {host}\n\n")
