"""Findings that only follow from another one, and how they are told.

A learner should read each mistake once, its cause first. When one finding
exists only because of another (the rest of a body read as a new request,
a Host line too broken to read and so no Host at all), engine.py ties it to
its cause (see `folded()` in diagnostics.py) and tells it briefly, since the
cause already says what went wrong and how to fix it.
"""

from .diagnostics import Finding, shown
from .lint import SliceReport

MISSING_HOST_FOLLOW_ON = (
    "Because the Host line above could not be read as a field, this request has no Host field "
    "either, and a server answers 400 for that too. Fixing that line fixes this."
)


def told_as_follow_on(finding: Finding, message: str) -> Finding:
    """`finding`, told briefly: its root already says what went wrong and why."""
    return Finding(finding.code, finding.offset, message, finding.fix, finding.rfc)


def read_as_a_new_request(piece: bytes, report: SliceReport) -> str:
    line = piece[report.request_start :].split(b"\n", 1)[0].rstrip(b"\r")
    return (
        f'Because of that, the server read "{shown(line)}" as the start of a new request. It is not '
        "a request line, so the server answered 400 and closed the connection."
    )


def missing_host_causes(findings: list[Finding], data: bytes) -> dict[int, int]:
    """A missing Host that follows from a Host line too broken to read: {missing: broken line}."""
    missing = next((i for i, f in enumerate(findings) if f.code == "missing-host"), None)
    if missing is None:
        return {}
    for index, finding in enumerate(findings):
        line_start = data.rfind(b"\n", 0, finding.offset) + 1
        line = data[line_start : line_start + 8].lstrip(b" \t")
        if finding.is_error and index != missing and line[:4].lower() == b"host":
            return {missing: index}
    return {}
