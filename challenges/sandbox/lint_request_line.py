"""Linting the request line: METHOD SP request-target SP HTTP-version.

The line is split on runs of spaces and tabs so that a learner who typed two
spaces still hears about their method and version, then each part is judged
on its own. Every finding names the text the learner wrote and, where one
line fixes it, offers that line as `fix`.
"""

import difflib
import re
from typing import NamedTuple

from .authority import host_of, split_url, valid_host
from .diagnostics import Finding, shown
from .layout import Line

KNOWN_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT")
TOKEN = re.compile(rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+")
WORD = re.compile(rb"[^ \t]+")
WHITESPACE = re.compile(rb"[ \t]+")
VERSION = re.compile(rb"HTTP/([0-9])\.([0-9])")
AUTHORITY = re.compile(rb"[A-Za-z0-9\-._~%!$&'()*+,;=]+:[0-9]+|\[[0-9A-Fa-f:.]+\]:[0-9]+")
BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
SCHEME = re.compile(rb"[A-Za-z][A-Za-z0-9+.\-]*://")
SHAPE = 'METHOD, one space, the target, one space and the version, as in "GET /books HTTP/1.1"'
# A request line with nothing to say about it: a known method other than
# CONNECT, one space, a path of visible ASCII without "#" or a stray "%", one
# space, HTTP/1.0 or HTTP/1.1. Most lines are like this, and matching them
# at once spares the word-by-word judgement below.
CLEAN_LINE = re.compile(
    rb"(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE) "
    rb"(/(?:[\x21\x22\x24\x26-\x7e]|%[0-9A-Fa-f]{2})*) HTTP/1\.([01])"
)
TARGET_CONTROL = re.compile(rb"[\x00-\x20\x7f]")


class RequestLineFacts(NamedTuple):
    method: bytes | None = None
    version: str | None = None  # "1.0" or "1.1" (a newer 1.x is read as 1.1)


def lint_request_line(buffer: bytes, line: Line) -> tuple[list[Finding], RequestLineFacts]:
    clean = CLEAN_LINE.fullmatch(buffer, line.start, line.end)
    if clean:
        return [], RequestLineFacts(clean.group(1), "1.1" if clean.group(3) == b"1" else "1.0")
    return _judge_request_line(buffer, line)


def _judge_request_line(buffer: bytes, line: Line) -> tuple[list[Finding], RequestLineFacts]:
    content = buffer[line.start : line.end]
    if content.startswith(b"\x16\x03"):
        return [_tls_handshake(line.start)], RequestLineFacts()
    findings = _non_ascii(content, line.start) + _irregular_whitespace(content, line.start)
    words = [(match.start() + line.start, match.group()) for match in WORD.finditer(content)]
    if len(words) >= 3 and _looks_like_version(words[-1][1]):
        version, version_findings = _judge_version(words[-1][1], words[-1][0], words)
        if (
            words[0][1] == b"PRI"
            and version_findings[:1]
            and version_findings[0].code == "http2-request-line"
        ):
            return (
                findings + version_findings,
                RequestLineFacts(),
            )  # the HTTP/2 preface: one finding says it all
        method, method_findings = _judge_method(words[0][1], words[0][0], words)
        findings += method_findings + _judge_target(words, method) + version_findings
        return findings, RequestLineFacts(method, version)
    findings.append(_not_a_request_line(content, line, words))
    return findings, RequestLineFacts()


def rewritten(words: list[tuple[int, bytes]], index: int, replacement: str) -> str:
    """The request line with word `index` replaced: a ready-made fix."""
    parts = [word.decode("latin-1") for _, word in words]
    parts[index] = replacement
    return " ".join(parts)


def _tls_handshake(offset: int) -> Finding:
    message = (
        "These bytes start like a TLS handshake, which is what a client sends when it speaks HTTPS. This "
        "sandbox port speaks plain HTTP, so it cannot read them and answers 400. Use http:// rather than "
        "https://, or connect without TLS."
    )
    return Finding("malformed-request-line", offset, message)


def _non_ascii(content: bytes, base: int) -> list[Finding]:
    if content.isascii():
        return []
    index = next(i for i, byte in enumerate(content) if byte >= 0x80)
    encoded = "".join(f"%{byte:02X}" if byte >= 0x80 else chr(byte) for byte in content)
    message = (
        f'The request line "{shown(content)}" holds bytes outside ASCII. A request line is plain ASCII: '
        "letters such as é in a path travel percent-encoded as their UTF-8 bytes (é is %C3%A9). A server "
        f'answers 400. Write the line as "{shown(encoded.encode(), 80)}".'
    )
    return [Finding("non-ascii-in-request-line", base + index, message, encoded)]


def _irregular_whitespace(content: bytes, base: int) -> list[Finding]:
    for match in WHITESPACE.finditer(content):
        gap = match.group()
        if gap == b" " and match.start() > 0 and match.end() < len(content):
            continue
        if match.start() == 0:
            what = "whitespace at the start of the line"
        elif match.end() == len(content):
            what = "whitespace at the end of the line, after the version"
        elif b"\t" in gap:
            what = "a tab between two parts"
        else:
            what = f"{len(gap)} spaces in a row"
        tidy = b" ".join(WORD.findall(content)).decode("latin-1")
        message = (
            f'The request line "{shown(content)}" has {what}. The grammar allows exactly one space between '
            "the method, the target and the version. A server that guesses where the parts are may read a "
            "different request than a proxy in front of it did (a way to smuggle requests), so a strict server "
            f'answers 400. Write "{shown(tidy.encode(), 80)}".'
        )
        return [Finding("extra-whitespace-in-request-line", base + match.start(), message, tidy)]
    return []


def _looks_like_version(word: bytes) -> bool:
    return word[:4].upper() == b"HTTP" and b"://" not in word


def _judge_method(method: bytes, offset: int, words) -> tuple[bytes, list[Finding]]:
    text = method.decode("latin-1")
    if not TOKEN.fullmatch(method):
        message = (
            f'The method "{shown(method)}" holds characters a method cannot have: a method is a single word '
            f"of letters, such as GET or POST. The request line is {SHAPE}. A server answers 400."
        )
        return method, [Finding("malformed-request-line", offset, message)]
    if text in KNOWN_METHODS:
        return method, []
    if text.upper() in KNOWN_METHODS:
        message = (
            f'The method is written "{text}". Methods are case-sensitive, so to a server "{text}" is not '
            f"{text.upper()} but an unknown method, and it answers 501 Not Implemented. Write {text.upper()}."
        )
        return method, [
            Finding("lowercase-method", offset, message, rewritten(words, 0, text.upper()))
        ]
    close = difflib.get_close_matches(text.upper(), KNOWN_METHODS, n=1, cutoff=0.6)
    message = (
        f'"{shown(method)}" is not a method this server implements (it knows GET, HEAD, POST, PUT, PATCH, '
        "DELETE and OPTIONS). RFC 9110 asks a server to answer 501 Not Implemented to a method it does not "
        "recognise."
    )
    message += f" Did you mean {close[0]}?" if close else " Use one of those."
    return method, [
        Finding("unknown-method", offset, message, rewritten(words, 0, close[0]) if close else None)
    ]


def _judge_target(words, method: bytes) -> list[Finding]:
    parts = words[1:-1]
    offset, target = parts[0]
    if len(parts) > 1:
        joined = b"%20".join(word for _, word in parts)
        spaced = b" ".join(word for _, word in parts)
        message = (
            f'The target "{shown(spaced)}" has a space in it. A space ends the target, so a server reads '
            f'"{shown(target)}" as the target and the rest where the version belongs, and answers 400. '
            f'Write spaces in a URL as %20: "{shown(joined)}".'
        )
        fix = " ".join(
            [
                words[0][1].decode("latin-1"),
                joined.decode("latin-1"),
                words[-1][1].decode("latin-1"),
            ]
        )
        return [Finding("bad-request-target", parts[1][0], message, fix)]
    findings = []
    problem = _target_problem(target, method)
    if problem:
        message, better = problem
        fix = rewritten(words, 1, better) if better else None
        findings.append(Finding("bad-request-target", offset, message, fix))
    elif method == b"CONNECT":
        findings.append(_connect_to_an_origin(target, words[0][0]))
    fragment = target.find(b"#")
    if fragment != -1:
        kept = target[:fragment].decode("latin-1") or "/"
        message = (
            f'The target contains the fragment "{shown(target[fragment:])}". Browsers keep fragments for '
            "themselves and never send them; this server ignores everything from # on, and a strict one would "
            f'answer 400. Send "{shown(kept.encode("latin-1"))}".'
        )
        findings.append(
            Finding("fragment-in-target", offset + fragment, message, rewritten(words, 1, kept))
        )
    return findings


def _connect_to_an_origin(target: bytes, offset: int) -> Finding:
    message = (
        f"CONNECT {shown(target)} asks a proxy to open a TCP tunnel to {shown(target)} and then pass bytes "
        "both ways unread, which is how a browser reaches an https site through a proxy. Its target is in "
        "authority-form, a host and a port and nothing else (RFC 9112 §3.2.3). This sandbox is an origin "
        "server, not a proxy, so it opens no tunnel and answers 405 Method Not Allowed. Send your request "
        'to the sandbox directly, as in "GET /books HTTP/1.1".'
    )
    return Finding("connect-to-origin", offset, message)


def _target_problem(target: bytes, method: bytes) -> tuple[str, str | None] | None:
    text = target.decode("latin-1")
    if TARGET_CONTROL.search(target):
        return (
            f'The target "{shown(target)}" holds a control character, which a URL cannot contain. A server '
            "answers 400. Remove it, or percent-encode it.",
            None,
        )
    if method == b"CONNECT":
        if AUTHORITY.fullmatch(target):
            return None
        return (
            f'CONNECT takes a host and port as its target, as in "example.com:443", not "{shown(target)}". '
            "A server answers 400.",
            None,
        )
    if target == b"*":
        if method == b"OPTIONS":
            return None
        return (
            'The target "*" means "the server as a whole" and only goes with OPTIONS. A server answers 400 '
            f"to {shown(method)} *. Ask for a path such as /books.",
            "/books",
        )
    if SCHEME.match(target):
        parts = split_url(target)
        path = parts.path.decode("latin-1") or "/"
        if parts.scheme.lower() not in (b"http", b"https") or not parts.authority:
            return (
                f'The target "{shown(target)}" is a URL this server cannot serve: it answers http URLs with '
                "a host. A server answers 400. Send just the path, such as /books.",
                path,
            )
        host = host_of(parts.authority)
        if not valid_host(host):
            return (
                f'The target "{shown(target)}" names the host "{shown(host)}", which is not a host name '
                "with an optional port (an IPv6 address goes in brackets, as in [::1]:8080). A server "
                "answers 400. Send just the path, such as /books.",
                path,
            )
    elif not target.startswith(b"/"):
        host, _, path = text.partition("/")
        if "." in host or host == "localhost":
            message = (
                f'The target "{shown(target)}" starts with a host name. In a request line the target is '
                "the path, starting with /; the host goes in the Host field. A server answers 400. "
                f'Write "/{shown(path.encode())}" and put "Host: {host}" below.'
            )
            return message, "/" + path
        return (
            f'The target "{shown(target)}" does not start with /. The target is the path of the URL, '
            "starting at the / after the host name. A server answers 400. "
            f'Write "/{shown(target)}".',
            "/" + text,
        )
    bad_percent = BAD_PERCENT.search(target)
    if bad_percent:
        return (
            f'The target "{shown(target)}" has a % that is not followed by two hexadecimal digits. In a URL '
            "% starts an escape such as %20, so a server answers 400. Write a literal % as %25.",
            text.replace("%", "%25"),
        )
    return None


def _judge_version(version: bytes, offset: int, words) -> tuple[str | None, list[Finding]]:
    match = VERSION.fullmatch(version)
    if match and match.group(1) == b"1":
        if match.group(2) in (b"0", b"1"):
            return version[5:].decode(), []
        message = (
            f'"{shown(version)}" does not exist, but RFC 9110 asks a server to answer a newer minor version '
            "of a major version it speaks as the highest one it knows. So this request is read as HTTP/1.1. "
            "Write HTTP/1.1."
        )
        return "1.1", [
            Finding("newer-minor-version", offset, message, rewritten(words, -1, "HTTP/1.1"))
        ]
    fix = rewritten(words, -1, "HTTP/1.1")
    if version in (b"HTTP/2", b"HTTP/2.0", b"HTTP/3", b"HTTP/3.0"):
        if words[0][1] == b"PRI":
            message = (
                "This is the HTTP/2 connection preface (PRI * HTTP/2.0), the first bytes a client sends when "
                "it already knows the server speaks HTTP/2. This sandbox speaks HTTP/1.1 only, so it answers "
                "505 HTTP Version Not Supported. Send an HTTP/1.1 request instead."
            )
        else:
            message = (
                f'The request line ends with "{shown(version)}". HTTP/2 and HTTP/3 have no text request '
                "line at all: they send binary frames, agreed during the TLS handshake (ALPN) or over QUIC. "
                "A server reading a text line like this speaks HTTP/1.x, so it answers 505 HTTP Version Not "
                "Supported. Write HTTP/1.1: the methods, targets and fields are the same in every version."
            )
        return None, [Finding("http2-request-line", offset, message, fix)]
    if match:
        history = (
            " HTTP/0.9 was the first version of 1991, with no headers and no status line."
            if version == b"HTTP/0.9"
            else ""
        )
        message = (
            f'This server speaks HTTP/1.0 and HTTP/1.1, not "{shown(version)}", so it answers 505 HTTP '
            f"Version Not Supported.{history} Write HTTP/1.1."
        )
        return None, [Finding("unsupported-http-version", offset, message, fix)]
    return None, [Finding("malformed-http-version", offset, _version_advice(version), fix)]


def _version_advice(version: bytes) -> str:
    upper = version.upper()
    if upper.startswith(b"HTTPS"):
        problem = "HTTPS is not a protocol version: HTTPS is HTTP/1.1 (or 2, or 3) inside TLS"
    elif upper.startswith(b"HTTP/") and not version.startswith(b"HTTP/"):
        problem = "the name HTTP is case-sensitive and must be in capitals"
    elif version.startswith(b"HTTP/") and version[5:].isdigit() and len(version) == 6:
        problem = "the version needs a major and a minor number, such as 1.1"
    elif not upper.startswith(b"HTTP/"):
        problem = "there must be a slash between HTTP and the number"
    else:
        problem = "it must be HTTP/, a digit, a dot and a digit"
    return f'The version "{shown(version)}" is not written right: {problem}. A server answers 400. Write HTTP/1.1.'


def _not_a_request_line(content: bytes, line: Line, words) -> Finding:
    texts = [word for _, word in words]
    if not texts:
        message = f"The first line holds only whitespace. A request starts with {SHAPE}. A server answers 400."
        return Finding("malformed-request-line", line.start, message)
    first = texts[0].decode("latin-1")
    if len(texts) == 2 and _looks_like_version(texts[1]):
        message = (
            f'The request line "{shown(content)}" has a method and a version but no target between them. '
            f"A request line is {SHAPE}. A server answers 400."
        )
        return Finding(
            "malformed-request-line", line.start, message, f"{first} / {texts[1].decode('latin-1')}"
        )
    if len(texts) == 2 and TOKEN.fullmatch(texts[0]) and texts[1][:1] in (b"/", b"*", b"h", b"H"):
        message = (
            f'The request line "{shown(content)}" ends without an HTTP version. Without one it reads as an '
            'HTTP/0.9 request, which modern servers refuse with 400. Add " HTTP/1.1" at the end of the line.'
        )
        return Finding(
            "missing-http-version", line.end, message, f"{content.decode('latin-1')} HTTP/1.1"
        )
    if len(texts) == 1 and first.upper() in KNOWN_METHODS:
        message = f'The request line is only "{shown(content)}". It also needs a target and a version: {SHAPE}. A server answers 400.'
        return Finding("malformed-request-line", line.start, message, f"{first.upper()} / HTTP/1.1")
    hint = ""
    if content[:1] in (b"{", b"[", b'"') or b"=" in content:
        hint = " It looks like part of a body that the server read as the start of a new request."
    message = (
        f'The server expected a request line here, but found "{shown(content)}". A request line is '
        f"{SHAPE}.{hint} A server answers 400 and closes the connection."
    )
    return Finding("malformed-request-line", line.start, message)
