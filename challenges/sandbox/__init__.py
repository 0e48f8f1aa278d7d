"""The HTTP sandbox: lint, parse and answer a learner's raw HTTP/1.1 bytes.

Pure Python on top of h11, with no Django: the site's views and the TCP
sandbox server both call `process()`, and the server frames its stream with
`frame_request_safely()` (`find_request_end()` with what it learnt on the
way). Neither ever raises on a learner's input: a failure of the sandbox
itself is logged once and answered with a 500 (see guard.py). See API.md for
the bookshop the sandbox serves.
"""

from .diagnostics import DIAGNOSTIC_CODES, Diagnostic
from .engine import process
from .framing import find_request_end, frame_request_safely
from .limits import LIMITS
from .messages import Exchange, Outcome, ParsedRequest, Response
from .state import fresh_state

__all__ = [
    "DIAGNOSTIC_CODES",
    "LIMITS",
    "Diagnostic",
    "Exchange",
    "Outcome",
    "ParsedRequest",
    "Response",
    "find_request_end",
    "frame_request_safely",
    "fresh_state",
    "process",
]
