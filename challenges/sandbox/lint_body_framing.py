"""Linting how a request's body is framed: Content-Length and Transfer-Encoding.

`lint_framing()` decides where the body ends the way RFC 9112 §6.3 tells a
server to, and reports each reason the framing cannot be trusted: a server
that guesses here is how requests get smuggled.
"""

import re
from typing import NamedTuple

from .diagnostics import Finding, shown
from .layout import Field
from .limits import LIMITS
from .lint_request_line import RequestLineFacts

DIGITS = re.compile(rb"[0-9]+")
NUMBER_WITH_UNIT = re.compile(rb"[0-9]+[ \t]*[A-Za-z]+")
BODY_MEANINGLESS = {
    b"GET": "RFC 9110 §9.3.1",
    b"HEAD": "RFC 9110 §9.3.2",
    b"DELETE": "RFC 9110 §9.3.5",
}


class Framing(NamedTuple):
    content_length: int | None = None
    chunked: bool = False


def lint_framing(facts: RequestLineFacts, fields: list[Field]) -> tuple[list[Finding], Framing]:
    lengths = [field for field in fields if field.key == b"content-length"]
    codings = [field for field in fields if field.key == b"transfer-encoding"]
    findings, content_length = _content_length(lengths)
    if not codings:
        return findings, Framing(content_length=content_length)
    if facts.version == "1.0":
        message = (
            "This HTTP/1.0 request has Transfer-Encoding, which HTTP/1.0 does not have. An old proxy may have "
            "mangled the message, so RFC 9112 says its framing is faulty: the server answers 400 and closes the "
            "connection. Use HTTP/1.1 for a chunked body, or send Content-Length."
        )
        findings.append(Finding("transfer-encoding-in-http10", codings[0].line.start, message))
    if lengths:
        message = (
            "This request has both Content-Length and Transfer-Encoding. They disagree about where the body "
            "ends, and when a proxy believes one and the server the other, a second request can hide inside the "
            "body: request smuggling. The server answers 400 and closes the connection. Keep one: "
            "Transfer-Encoding: chunked alone, or Content-Length alone."
        )
        later = max(lengths[0].line.start, codings[0].line.start)
        findings.append(Finding("content-length-and-transfer-encoding", later, message))
    findings += _transfer_codings(codings)
    return findings, Framing(chunked=not any(finding.is_error for finding in findings))


def _content_length(lengths: list[Field]) -> tuple[list[Finding], int | None]:
    values: list[tuple[int, Field]] = []
    for field in lengths:
        for element in field.value.split(b","):
            element = element.strip(b" \t")
            if DIGITS.fullmatch(element):
                values.append((int(element), field))
            elif element.startswith(b"-") and DIGITS.fullmatch(element[1:]):
                message = (
                    f'Content-Length is "{shown(field.value)}". A length counts bytes, so it is zero or more: '
                    "RFC 9110 defines it as digits only. The server cannot frame the body, answers 400 and "
                    "closes the connection. Write the number of bytes in the body."
                )
                return [Finding("negative-content-length", field.value_offset, message)], None
            else:
                return [_invalid_content_length(field)], None
    distinct = list(dict.fromkeys(length for length, _ in values))
    if len(distinct) > 1:
        second = next(field for length, field in values if length == distinct[1])
        message = (
            f"There are different Content-Length values ({' and '.join(str(n) for n in distinct[:2])}). A server "
            "cannot know which one frames the body, and a proxy that picks the other would see a different "
            "request: that is how requests get smuggled. It answers 400 and closes. Send one Content-Length."
        )
        return [Finding("conflicting-content-length", second.value_offset, message)], None
    if not values:
        return [], None
    length, field = values[0]
    findings = []
    if len(values) > 1:
        message = (
            f"Content-Length {length} is sent {len(values)} times. RFC 9110 lets a server accept repeats of the "
            "same value, and this one does, but a strict one refuses them. Send it once."
        )
        findings.append(
            Finding(
                "repeated-content-length",
                values[1][1].value_offset,
                message,
                f"Content-Length: {length}",
            )
        )
    if length > LIMITS.body_bytes:
        message = (
            f"Content-Length is {length}, more than the sandbox's limit of {LIMITS.body_bytes} bytes. A real "
            "server refuses before reading the body, with 413 Content Too Large. Send a smaller body."
        )
        findings.append(Finding("body-too-large", field.value_offset, message))
    return findings, length


def _invalid_content_length(field: Field) -> Finding:
    value = field.value
    if not value:
        problem = "empty"
    elif NUMBER_WITH_UNIT.fullmatch(value):
        problem = "a number with a unit; it is always bytes, so write the digits alone"
    elif value.lower().startswith(b"0x"):
        problem = "hexadecimal; Content-Length is decimal (chunk sizes are the hexadecimal ones)"
    else:
        problem = "not a number"
    message = (
        f'Content-Length is "{shown(value)}", which is {problem}. Without a valid length the server cannot '
        "tell where the body ends, so RFC 9112 makes it answer 400 and close the connection. Write the number "
        "of bytes in the body, in decimal digits."
    )
    return Finding("invalid-content-length", field.value_offset, message)


def _transfer_codings(codings: list[Field]) -> list[Finding]:
    names = [part.strip(b" \t").lower() for field in codings for part in field.value.split(b",")]
    names = [name for name in names if name]
    written = ", ".join(shown(field.value) for field in codings)
    where = codings[0].value_offset
    # Whatever the codings, a request whose last one is not chunked has no knowable end
    # (RFC 9112 §6.3, rule 4: 400 and close); an unknown coding before chunked is §6.1's 501.
    if not names or names.count(b"chunked") > 1 or names[-1] != b"chunked":
        message = (
            f'Transfer-Encoding is "{written}". In a request, chunked must be the last coding and appear '
            "once, or the server cannot find the end of the body; RFC 9112 makes it answer 400 and close. "
            "Write Transfer-Encoding: chunked."
        )
        return [Finding("invalid-transfer-encoding", where, message, "Transfer-Encoding: chunked")]
    unknown = next((name for name in names if name != b"chunked"), None)
    if unknown is not None:
        message = (
            f'Transfer-Encoding is "{written}". The only transfer coding this server decodes in a request is '
            f'chunked; for "{shown(unknown)}" RFC 9112 asks it to answer 501 Not Implemented. Send the body '
            "with Content-Length, or as chunked alone."
        )
        return [Finding("unknown-transfer-coding", where, message, "Transfer-Encoding: chunked")]
    return []


def body_on_bodiless_method(method: bytes, fields: list[Field]) -> Finding:
    framing = next(
        field for field in fields if field.key in (b"content-length", b"transfer-encoding")
    )
    verb = method.decode()
    message = (
        f"This {verb} request has a body ({shown(framing.name)}: {shown(framing.value)}). RFC 9110 gives a body "
        f"on {verb} no meaning: some servers and proxies ignore it, some refuse the request. This one reads it "
        "and ignores it. Put data for a GET in the query string, or use POST."
    )
    return Finding("body-on-get", framing.line.start, message, rfc=BODY_MEANINGLESS[method])
