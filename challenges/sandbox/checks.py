"""The vocabulary of challenge checks: each is a small function from what was
exchanged to (passed, a sentence for the learner).

A check's scope says what it looks at: a request, a response, a whole
exchange (its diagnostics), the step (all its exchanges and the previous
step's response), or the learner's sandbox state after the step. Checks
judge what HTTP means, not the bytes (see checks_messages.py and
semantics.py); only the diagnostic checks read the exact bytes, through the
linter.

This module gathers the vocabulary: importing the two check modules
registers every check in CHECKS.
"""

from . import checks_messages, checks_steps
from .check_registry import CHECKS, COMMON_OPTIONAL, CheckDef, Context, chosen_exchanges

__all__ = ["CHECKS", "COMMON_OPTIONAL", "CheckDef", "Context", "chosen_exchanges"]

# The two modules are imported for what they register, not for their names.
_REGISTERING = (checks_messages, checks_steps)
