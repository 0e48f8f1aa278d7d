"""When the sandbox itself fails: one log line, and the 500 a real server sends.

A learner's bytes are data, so no input may crash the sandbox. The
guarantee is structural rather than a list of special cases: the two entry
points, `process()` (engine.py) and `frame_request_safely()` (the framing
the TCP server calls), catch every exception. Each failure is logged once,
with the stage it happened in and the first 16 hex digits of the input's
SHA-256 (enough to find the input again in a regression corpus, without
writing a learner's bytes, which may hold a password, into the log), and
the learner gets a 500 whose diagnostic says the sandbox failed and quotes
that hash.

The 500 here is written out by hand, not by render.py: the failure may
have happened in render.py, and the answer to a failure must not depend on
the code that failed. tests/sandbox/test_guard.py checks that it has the
same bytes as the 500 `finalize()` would make.
"""

import hashlib
import logging
from datetime import datetime
from email.utils import format_datetime

from .diagnostics import CODES, Finding
from .messages import Response

log = logging.getLogger("challenges.sandbox")

FRAMING, LINT, PARSE, ANSWER = "framing", "lint", "parse", "answer"
_BODY = (
    "{\n"
    '  "type": "about:blank",\n'
    '  "title": "Internal Server Error",\n'
    '  "status": 500,\n'
    f'  "detail": "{CODES["internal-error"].title}.",\n'
    '  "code": "internal-error"\n'
    "}\n"
).encode()


class AlreadyReported(Exception):
    """A failure that was logged where it happened (the TCP server's framing)
    and must not be logged again when `process()` meets the same bytes."""

    def __init__(self, stage: str, digest: str):
        super().__init__(f"the sandbox failed during {stage} (sha256:{digest})")
        self.stage, self.digest = stage, digest


def input_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def report_failure(data: bytes, stage: str, error: BaseException) -> str:
    """Log `error` once, with the stage and the input's hash; return the hash."""
    if isinstance(error, AlreadyReported):
        return error.digest
    digest = input_digest(data)
    log.error(
        "the sandbox failed during %s on input sha256:%s (%d bytes): %s: %s",
        stage,
        digest,
        len(data),
        type(error).__name__,
        error,
        exc_info=(type(error), error, error.__traceback__),
    )
    return digest


def failure_finding(stage: str, error: BaseException, digest: str, offset: int = 0) -> Finding:
    """The diagnostic for a failure of the sandbox itself (never the learner's mistake)."""
    stage = error.stage if isinstance(error, AlreadyReported) else stage
    kind = "" if isinstance(error, AlreadyReported) else f", {type(error).__name__}"
    message = (
        f"The sandbox itself failed while handling this input (during {stage}{kind}). That is our "
        "mistake, not yours: a real server answers 500 Internal Server Error, as this one does. "
        f"Please report it and quote sha256:{digest}, which identifies your input."
    )
    return Finding("internal-error", offset, message)


def failure_response(now: datetime, replica: str, *, head_request: bool = False) -> Response:
    """The 500 for a failure, closing the connection, as render.finalize() would write it."""
    headers = [
        ("Date", format_datetime(now, usegmt=True)),
        ("Server", "http-sandbox/1"),
        ("X-Served-By", replica),
        ("Content-Type", "application/problem+json"),
        ("Cache-Control", "no-store"),
        ("Content-Length", str(len(_BODY))),
        ("Connection", "close"),
    ]
    lines = "".join(f"{name}: {value}\r\n" for name, value in headers)
    head = f"HTTP/1.1 500 Internal Server Error\r\n{lines}\r\n".encode("latin-1")
    body = b"" if head_request else _BODY
    return Response(500, "Internal Server Error", headers, body, head + body)
