"""Turn raw bytes and diagnostics into what the page shows: numbered lines with
visible line endings and a caret under the byte a diagnostic points at, and a
curl command equivalent to the learner's request."""

import json
import re
import shlex

from challenges.sandbox.checks import CHECKS
from challenges.sandbox.grading import grade_step

_CONTROL = {0x09: "→", 0x0B: "␋", 0x0C: "␌", 0x00: "␀"}


def visible(text: str) -> str:
    """Show control characters (tab, NUL, stray CR...) as symbols so nothing hides."""
    out = []
    for char in text:
        code = ord(char)
        if code in _CONTROL:
            out.append(_CONTROL[code])
        elif code == 0x0D:
            out.append("␍")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(char)
    return "".join(out)


def annotated_lines(raw: bytes, diagnostics: list[dict]) -> list[dict]:
    """Split `raw` into lines (by LF, as the linter counts), each with its ending and its diagnostics."""
    by_line: dict[int, list[dict]] = {}
    for diagnostic in diagnostics:
        if diagnostic.get("caused_by"):
            continue  # told once, folded under its cause (the root lists it in follow_ons)
        caret = " " * max(0, diagnostic["column"] - 1) + "^"
        by_line.setdefault(diagnostic["line"], []).append({**diagnostic, "caret": caret})
    lines = []
    pieces = raw.split(b"\n")
    for number, piece in enumerate(pieces, start=1):
        is_last = number == len(pieces)
        if is_last and not piece and number > 1:
            break
        ending = "" if is_last else ("\\r\\n" if piece.endswith(b"\r") else "\\n")
        body = piece[:-1] if ending == "\\r\\n" else piece
        text = body.decode("utf-8", "replace")
        lines.append(
            {
                "number": number,
                "text": visible(text),
                "ending": ending,
                "diagnostics": by_line.pop(number, []),
            }
        )
    for number, extra in sorted(by_line.items()):  # a diagnostic past the end (e.g. "body missing")
        lines.append({"number": number, "text": "", "ending": "", "diagnostics": extra})
    return lines


_EDITOR_FIELDS = ("line", "column", "severity", "code", "message", "rfc", "fix")


def editor_diagnostics(diagnostics: list[dict]) -> str:
    """The diagnostics as JSON for the editor's inline marks (line and byte column, from 1).

    Follow-ons are left out, as on the page: each is folded under its cause.
    """
    roots = [d for d in diagnostics if not d.get("caused_by")]
    return json.dumps([{key: d.get(key) for key in _EDITOR_FIELDS} for d in roots])


def curl_command(raw: bytes, base_url: str) -> str | None:
    """Return a curl command that sends the same request to the TCP sandbox, or None if unparseable."""
    text = raw.decode("utf-8", "replace").replace("\r\n", "\n")
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    request_line = re.match(r"^([A-Za-z]+) (\S+) HTTP/(\d\.\d)$", lines[0].strip())
    if not request_line:
        return None
    method, target, version = request_line.groups()
    parts = ["curl", "-v"]
    if version == "1.0":
        parts.append("--http1.0")
    if method == "HEAD":
        parts.append("--head")
    elif method != "GET" or body:
        parts += ["-X", method]
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() not in ("content-length", "host"):
            parts += ["-H", f"{name.strip()}: {value.strip()}"]
    if body:
        parts += ["--data-binary", body]
    url = target if "://" in target else base_url.rstrip("/") + target
    parts.append(url)
    return " ".join(shlex.quote(part) for part in parts)


_PER_REQUEST_SCOPES = ("request", "response", "exchange")


def graded_requests(rows, checks: list[dict]) -> list[dict]:
    """For each exchange graded at once (the TCP case): its lines as the server read
    them, whether a check of the step looked at it, and whether those checks passed on it.

    A check looks at the last request unless its `exchange` says 1, 2... or any/all;
    checks on the step or the sandbox state judge no single request.
    """
    exchanges = [row.as_exchange() for row in rows]
    looked_at: dict[int, list[bool]] = {}
    for spec in checks:
        if CHECKS[spec["check"]].scope not in _PER_REQUEST_SCOPES:
            continue
        alone = {key: value for key, value in spec.items() if key != "exchange"}
        for index in _indices_checked(spec.get("exchange", "last"), len(exchanges)):
            (result,) = grade_step([alone], [exchanges[index]], {})
            looked_at.setdefault(index, []).append(result.passed)
    any_passes = {index for index, marks in looked_at.items() if all(marks)}
    return [
        {
            "number": index + 1,
            "exchange": row,
            "lines": annotated_lines(bytes(row.raw_request), row.diagnostics),
            "graded": index in looked_at,
            "passed": index in any_passes,
        }
        for index, row in enumerate(rows)
    ]


def _indices_checked(which, count: int) -> range | list[int]:
    if isinstance(which, int):
        return [which - 1] if 0 < which <= count else []
    if which in ("any", "all"):
        return range(count)
    return [count - 1] if count else []
