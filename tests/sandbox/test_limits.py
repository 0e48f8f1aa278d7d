"""The request-line limit: RFC 9112 §3 recommends at least 8,000 octets, and
the sandbox reads 8 KiB, in the editor and over TCP alike."""

import pytest

from challenges.sandbox import LIMITS
from challenges.sandbox.limits import Limits

from .server_harness import exchange, running_server
from .support import run


def request_with_line_of(octets: int) -> bytes:
    """GET /echo?q=aaa... whose request line, CRLF included, is `octets` long."""
    fixed = len(b"GET /echo?q= HTTP/1.1\r\n")
    return b"GET /echo?q=" + b"a" * (octets - fixed) + b" HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize(
    ("octets", "status"),
    [
        (7_000, 200),
        (8_000, 200),  # what RFC 9112 §3 recommends every server reads
        (8 * 1024, 200),
        (8 * 1024 + 1, 414),
        (12_000, 414),
    ],
)
def test_request_lines_up_to_8_kib_are_read(octets, status):
    raw = request_with_line_of(octets)
    assert raw.index(b"\n") + 1 == octets
    outcome = run(raw)
    assert outcome.exchanges[0].response.status == status
    codes = [d.code for d in outcome.diagnostics]
    assert ("request-line-too-long" in codes) == (status == 414)


def test_the_414_diagnostic_states_the_limit():
    outcome = run(request_with_line_of(9_000))
    diagnostic = next(d for d in outcome.diagnostics if d.code == "request-line-too-long")
    assert "8192 bytes" in diagnostic.message


@pytest.mark.parametrize(("octets", "status"), [(8_000, b"200"), (8 * 1024 + 1, b"414")])
def test_the_tcp_server_reads_the_same_request_lines(octets, status):
    raw = request_with_line_of(octets)
    with running_server() as (_, port):
        whole = exchange(port, raw)
        split = exchange(port, raw, pieces=[raw[:5000], raw[5000:]], pause=0.05)
    assert whole.startswith(b"HTTP/1.1 " + status)
    assert split == whole == run(raw).raw_response


def test_the_limits_are_at_least_what_the_rfc_recommends():
    assert LIMITS.request_line_bytes >= 8_000
    largest = LIMITS.request_line_bytes + LIMITS.header_section_bytes + LIMITS.body_bytes
    assert largest <= LIMITS.input_bytes


def test_limits_that_cannot_all_be_met_are_refused():
    with pytest.raises(ValueError, match="fits the limits but not the input"):
        Limits(input_bytes=32 * 1024)
