"""Host values and URL authorities, read by the RFC 3986 grammar, never by urlsplit."""

import pytest

from challenges.sandbox.authority import host_of, split_url, valid_host

from .support import crlf, run

VALID = [
    b"sandbox.localhost",
    b"sandbox.localhost:8080",
    b"localhost:",  # port = *DIGIT, so an empty port is allowed
    b"127.0.0.1",
    b"[::1]",
    b"[2001:db8::7]:443",
    b"[::ffff:192.0.2.1]",
    b"[v1.fe80::a+en1]",
    b"my%20host",
    b"",  # reg-name may be empty (RFC 9112 §3.2 then says more; see lint_fields)
]
INVALID = [
    b"[",
    b"[/",
    b"a[b",
    b"[x]",
    b"[::1",
    b"::1]",
    b"[:::::1]",
    b"[fe80::1%25eth0]",  # a zone id is not part of RFC 3986's IP-literal
    b"a%zz",
    b"a%4",
    b"ada@sandbox.localhost",
    b"host:port",
    b"host:80:80",
    b"a b",
    b"http://x/",
]


@pytest.mark.parametrize("value", VALID)
def test_valid_host_values_are_accepted(value):
    assert valid_host(value)


@pytest.mark.parametrize("value", INVALID)
def test_invalid_host_values_are_refused(value):
    assert not valid_host(value)


def test_split_url_never_raises_on_brackets():
    assert split_url(b"http://[::1/books?x=1#top") == (b"http", b"[::1", b"/books", b"x=1")
    assert split_url(b"//a[b/c").authority == b"a[b"
    assert split_url(b"[/").authority is None
    assert host_of(b"user:pw@example.org:80") == b"example.org:80"


@pytest.mark.parametrize(
    "host, fix",
    [
        (b"[/", "Host: sandbox.localhost"),
        (b"a[b/c", "Host: sandbox.localhost"),
        (b"[x]/", "Host: sandbox.localhost"),
        (b"http://[::1]:8080/books", "Host: [::1]:8080"),
        (b"ada@example.org", "Host: example.org"),
        (b"example.org:http", "Host: example.org"),
        (b"[::1]:https", "Host: [::1]"),
    ],
)
def test_invalid_host_is_a_400_with_a_fix(host, fix):
    outcome = run(b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
    assert [e.response.status for e in outcome.exchanges] == [400]
    (diagnostic,) = outcome.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("invalid-host", 2, 7)
    assert diagnostic.fix == fix


def test_absolute_form_with_an_ipv6_host_is_answered():
    outcome = run(crlf("GET http://[::1]:8080/books?page=1 HTTP/1.1\nHost: [::1]:8080\n\n"))
    assert [e.response.status for e in outcome.exchanges] == [200]
    assert outcome.exchanges[0].request.path == "/books"
