"""Linting the header section: each field line on its own, then the fields
together (Host, body framing, repeated fields).

`lint_field_lines()` judges the syntax of every line and returns the fields it
could read. `lint_field_semantics()` then judges them together: Host, repeats,
and how the body is framed (see lint_body_framing.py).
"""

import re

from .authority import host_of, split_url, valid_host
from .diagnostics import Finding, shown
from .layout import Field, Line
from .limits import LIMITS
from .lint_body_framing import BODY_MEANINGLESS, Framing, body_on_bodiless_method, lint_framing
from .lint_request_line import TOKEN, RequestLineFacts

SUGGESTED_HOST = "sandbox.localhost"
FORM_BODY = re.compile(rb"[^=\s&:]+=[^&\s]*(&[^=\s&]+=[^&\s]*)+")
NOT_TOKEN_CHAR = re.compile(rb"[^-!#$%&'*+.^_`|~0-9A-Za-z]")
# "Host example.org": a field line whose colon was forgotten.
NAME_SPACE_VALUE = re.compile(rb"([-A-Za-z0-9]+)[ \t]+(.+)")
CONTROL = re.compile(rb"[\x00-\x08\x0a-\x0c\x0e-\x1f\x7f]")  # a CR is reported as bare-cr instead
NON_ASCII = re.compile(rb"[\x80-\xff]")
# A field line with nothing to say about it: a token, a colon, and a value of
# visible ASCII with spaces or tabs only inside it or around it. Most lines
# are like this; matching them at once spares the judgement below.
CLEAN_FIELD_LINE = re.compile(
    rb"([-!#$%&'*+.^_`|~0-9A-Za-z]+):[ \t]*((?:[\x21-\x7e](?:[\x20-\x7e\t]*[\x21-\x7e])?)?)[ \t]*"
)
# Fields that hold one value: a second line is a mistake, not a list.
SINGLE_VALUE_FIELDS = {
    b"authorization",
    b"content-type",
    b"cookie",
    b"from",
    b"idempotency-key",
    b"if-modified-since",
    b"if-range",
    b"if-unmodified-since",
    b"max-forwards",
    b"origin",
    b"proxy-authorization",
    b"range",
    b"referer",
    b"user-agent",
}


def lint_field_lines(buffer: bytes, lines) -> tuple[list[Finding], list[Field], bool]:
    """Findings, the readable fields, and whether a body turned up among the lines."""
    findings: list[Finding] = []
    fields: list[Field] = []
    for index, line in enumerate(lines):
        clean = CLEAN_FIELD_LINE.fullmatch(buffer, line.start, line.end)
        if clean:
            fields.append(Field(clean.group(1), clean.group(2), line, clean.start(2)))
            continue
        content = buffer[line.start : line.end]
        if content[:1] in (b" ", b"\t"):
            findings.append(_folded(buffer, lines, index))
            if index == 0:  # still read the field, so that an indented Host is not also "missing"
                indent = len(content) - len(content.lstrip(b" \t"))
                field, _ = _judge_field_line(
                    content[indent:], Line(line.start + indent, line.end, line.stop)
                )
                fields += [field] if field else []
            continue
        if _looks_like_body(content):
            findings.append(_body_in_head(content, line))
            return findings, fields, True
        field, line_findings = _judge_field_line(content, line)
        findings += line_findings
        if field:
            fields.append(field)
    return findings, fields, False


def lint_field_semantics(
    buffer: bytes, facts: RequestLineFacts, fields: list[Field], lines, blank_line_start: int
) -> tuple[list[Finding], Framing]:
    findings = _field_count(lines) + _host(facts, fields, blank_line_start) + _repeated(fields)
    findings += _expectations(fields)
    framing_findings, framing = lint_framing(facts, fields)
    findings += framing_findings
    if facts.method in BODY_MEANINGLESS and (framing.chunked or (framing.content_length or 0) > 0):
        findings.append(body_on_bodiless_method(facts.method, fields))
    return findings, framing


def _looks_like_body(content: bytes) -> bool:
    return content[:1] in (b"{", b"[", b"<", b'"') or bool(FORM_BODY.fullmatch(content))


def _body_in_head(content: bytes, line: Line) -> Finding:
    message = (
        f'The line "{shown(content)}" looks like the body, but it comes before the empty line that ends the '
        "head, so the server reads it as a header field, cannot, and answers 400. Put an empty line between the "
        "last header field and the body."
    )
    return Finding("body-without-blank-line", line.start, message)


def _folded(buffer: bytes, lines, index: int) -> Finding:
    line = lines[index]
    content = buffer[line.start : line.end]
    if index == 0:
        return _whitespace_before_first_field(content, line)
    previous = buffer[lines[index - 1].start : lines[index - 1].end]
    joined = (previous.rstrip(b" \t") + b" " + content.strip(b" \t")).decode("latin-1")
    message = (
        f'The line "{shown(content)}" starts with whitespace, which old HTTP used to continue the previous '
        "field on a new line (obsolete line folding). RFC 9112 deprecated it: a server must refuse it with 400 "
        f'or join the lines itself, and this one refuses. Write the value on one line: "{shown(joined.encode(), 60)}".'
    )
    return Finding("obs-fold", line.start, message, joined)


def _whitespace_before_first_field(content: bytes, line: Line) -> Finding:
    # Not obsolete line folding: there is no field before it to continue.
    message = (
        f'The first header line "{shown(content)}" starts with whitespace, so it sits between the request '
        "line and the first field, where RFC 9112 allows no whitespace. A recipient must either refuse the "
        "request or ignore that line and every indented line after it; a server that ignores it drops the "
        "field, one that reads it keeps it, and a field that two servers see differently can be used to "
        "smuggle requests. This one refuses with 400. Remove the leading whitespace."
    )
    fix = content.strip(b" \t").decode("latin-1")
    return Finding("whitespace-before-first-field", line.start, message, fix)


def _judge_field_line(content: bytes, line: Line) -> tuple[Field | None, list[Finding]]:
    colon = content.find(b":")
    if colon == -1:
        guess = NAME_SPACE_VALUE.fullmatch(content)
        fix = f"{guess.group(1).decode()}: {guess.group(2).decode('latin-1')}" if guess else None
        message = (
            f'The header line "{shown(content)}" has no colon. A field is its name, a colon and its value, '
            'as in "Accept: application/json"; a server cannot read this line and answers 400.'
        )
        message += (
            f' Write "{shown(fix.encode("latin-1"))}".' if fix else " Add the colon after the name."
        )
        return None, [Finding("missing-colon", line.start, message, fix)]
    if colon == 0:
        message = (
            f'The header line "{shown(content)}" starts with a colon, so the field has no name. (HTTP/2 '
            "pseudo-fields like :path never appear in HTTP/1.1 text.) A server answers 400. Write the name "
            "before the colon."
        )
        return None, [Finding("empty-header-name", line.start, message)]
    findings = []
    raw_name = content[:colon]
    name = raw_name.rstrip(b" \t")
    value = content[colon + 1 :].strip(b" \t")
    value_offset = (
        line.start
        + colon
        + 1
        + (len(content[colon + 1 :]) - len(content[colon + 1 :].lstrip(b" \t")))
    )
    if name != raw_name:
        fix = f"{name.decode('latin-1')}: {value.decode('latin-1')}"
        message = (
            f'There is whitespace between the field name "{shown(name)}" and the colon. Servers must refuse '
            "such a request with 400, because proxies that tolerated it have been tricked into smuggling "
            "requests. Remove the whitespace."
        )
        findings.append(Finding("space-before-colon", line.start + len(name), message, fix))
    if not TOKEN.fullmatch(name):
        findings.append(_invalid_name(name, line.start + NOT_TOKEN_CHAR.search(name).start()))
        return None, findings
    findings += _judge_value(name, value, value_offset)
    return Field(name, value, line, value_offset), findings


def _invalid_name(name: bytes, offset: int) -> Finding:
    if b" " in name or b"\t" in name:
        problem = "a space, which a name cannot contain (write Content-Type, not Content Type)"
    elif not name.isascii():
        problem = "letters outside ASCII, which a name cannot contain"
    else:
        problem = "characters that a field name, a token, cannot contain"
    message = (
        f'The field name "{shown(name)}" has {problem}. Field names are tokens: letters, digits and a few '
        "marks such as - and _. A server answers 400. Fix the name."
    )
    return Finding("invalid-header-name", offset, message)


def _judge_value(name: bytes, value: bytes, offset: int) -> list[Finding]:
    findings = []
    control = CONTROL.search(value)
    if control:
        message = (
            f'The value of {shown(name)} holds the control character "{shown(control.group())}". '
            "RFC 9110 makes control characters invalid in field values (a NUL or a stray line break can end a "
            "value early in one server but not in another), so this server answers 400. Remove it."
        )
        findings.append(Finding("invalid-header-value", offset + control.start(), message))
    high = NON_ASCII.search(value)
    if high:
        message = (
            f'The value of {shown(name)} holds bytes outside ASCII ("{shown(value)}"). RFC 9110 lets a server '
            "keep them as opaque bytes, and this one does, but it cannot know their encoding, and other servers "
            "may reject them. Percent-encode them or keep field values ASCII."
        )
        findings.append(Finding("non-ascii-in-header-value", offset + high.start(), message))
    return findings


def _field_count(lines) -> list[Finding]:
    if len(lines) <= LIMITS.header_fields:
        return []
    message = (
        f"This request has {len(lines)} header lines. The sandbox, like many servers, reads at most "
        f"{LIMITS.header_fields} and answers 431 Request Header Fields Too Large. Send fewer fields."
    )
    return [Finding("too-many-header-fields", lines[LIMITS.header_fields].start, message)]


def _host(facts: RequestLineFacts, fields: list[Field], blank_line_start: int) -> list[Finding]:
    hosts = [field for field in fields if field.key == b"host"]
    findings = []
    if not hosts and facts.version == "1.1":
        message = (
            "This HTTP/1.1 request has no Host field. One server often hosts many sites, and Host says which "
            "one you mean, so HTTP/1.1 made it mandatory: a server must answer 400 without it. Add a Host line "
            "before the empty line."
        )
        findings.append(
            Finding("missing-host", blank_line_start, message, f"Host: {SUGGESTED_HOST}")
        )
    if len(hosts) > 1:
        values = " and ".join(f'"{shown(host.value)}"' for host in hosts[:2])
        message = (
            f"There are {len(hosts)} Host fields ({values}). A server cannot know which site you mean, and two "
            "servers that pick different ones can be played against each other, so it must answer 400. Keep "
            "one Host line."
        )
        findings.append(Finding("duplicate-host", hosts[1].line.start, message))
    if hosts and not valid_host(hosts[0].value):
        findings.append(_invalid_host(hosts[0]))
    elif hosts and not hosts[0].value:
        findings.append(_empty_host(hosts[0]))
    return findings


def _empty_host(host: Field) -> Finding:
    # RFC 9112 §3.3 lets a server that gets no authority use a default name
    # or refuse; the sandbox answers, and says why a client should not rely on it.
    message = (
        "Host is empty. RFC 9112 keeps an empty Host for a target URI that has no authority (no host "
        "name), and an http URL always has one, so a client should name it here. This server answers from "
        "its default site, as RFC 9112 allows, but a server that hosts several sites cannot tell which one "
        f'you mean and may answer 400. Write "Host: {SUGGESTED_HOST}".'
    )
    return Finding("empty-host", host.value_offset, message, f"Host: {SUGGESTED_HOST}")


def _expectations(fields: list[Field]) -> list[Finding]:
    """417 for an Expect that asks for anything but 100-continue (RFC 9110 §10.1.1)."""
    for field in fields:
        if field.key != b"expect":
            continue
        for member in field.value.split(b","):
            expectation = member.strip(b" \t")
            if expectation and expectation.lower() != b"100-continue":
                return [_unmet_expectation(field, expectation, field.value.find(expectation))]
    return []


def _unmet_expectation(field: Field, expectation: bytes, position: int) -> Finding:
    members = [member.strip(b" \t").lower() for member in field.value.split(b",")]
    fix = "Expect: 100-continue" if b"100-continue" in members else None
    message = (
        f'Expect asks for "{shown(expectation)}". The only expectation HTTP defines is 100-continue (send '
        "100 Continue before the body arrives); a server that meets one it does not know may answer 417 "
        "Expectation Failed, as this one does, rather than act as if the client had asked for nothing. "
        'Remove it, or write "Expect: 100-continue".'
    )
    return Finding("unsupported-expectation", field.value_offset + position, message, fix)


def _invalid_host(host: Field) -> Finding:
    value = host.value
    name, colon, port = value.rpartition(b":")
    if b"/" in value:
        # Read as a URL (with "//" in front when it has no scheme), keep its host.
        url = split_url(value if b"://" in value else b"//" + value)
        fixed = host_of(url.authority or b"")
        problem = "a URL; Host holds only the host name and an optional port"
    elif b"@" in value:
        fixed = host_of(value)
        problem = (
            "a host with user info before an @; Host holds only the host name and an optional port"
        )
    elif colon and valid_host(name) and not port.isdigit():
        fixed = name
        problem = "a host with a port that is not a number; a port is digits only"
    elif b"[" in value or b"]" in value:
        fixed = b""
        problem = (
            "a bracketed address that is not a whole IPv6 address in square brackets, "
            "such as [::1] or [::1]:8080"
        )
    else:
        fixed = b"".join(value.split())
        problem = "characters a host name cannot contain"
    if not fixed or not valid_host(fixed):
        fixed = SUGGESTED_HOST.encode()
    message = (
        f'Host is "{shown(value)}", which is {problem}. A server must answer 400 to an invalid Host. '
        f'Write "Host: {shown(fixed)}".'
    )
    return Finding("invalid-host", host.value_offset, message, f"Host: {fixed.decode('latin-1')}")


def _repeated(fields: list[Field]) -> list[Finding]:
    findings = []
    seen: dict[bytes, Field] = {}
    for field in fields:
        first = seen.setdefault(field.key, field)
        if first is field or field.key not in SINGLE_VALUE_FIELDS:
            continue
        spelled = ""
        if first.name != field.name:
            spelled = (
                f' (once as "{shown(first.name)}", once as "{shown(field.name)}": field names are '
                "case-insensitive, so they are the same field)"
            )
        message = (
            f"{shown(field.name)} appears more than once{spelled}. It holds a single value, so servers differ on "
            "what to do: take the first, take the last, or refuse. Send it once."
        )
        findings.append(Finding("duplicate-field", field.line.start, message))
    return findings
