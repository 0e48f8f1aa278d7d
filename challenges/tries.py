"""A lesson's try-it send: the learner's bytes through their own sandbox, recorded, never graded.

The same refusals and the same per-minute budget as the challenge editor
apply (the counter is shared, so a try-it box is no way round the editor's
limit); only an oversized request answers 413 here, the status a server
gives a body it will not take (RFC 9110 §15.5.14).
"""

from accounts.models import User
from challenges.models import RecordedExchange
from challenges.services import sandbox_send
from challenges.submissions import SubmissionRefused, editor_input_admit


class TryTooLarge(SubmissionRefused):
    status = 413


def try_send(*, user: User, data: bytes) -> list[RecordedExchange]:
    """Run `data` against the learner's sandbox state; return the exchanges recorded, oldest first."""
    editor_input_admit(user=user, data=data, too_large=TryTooLarge)
    _, rows = sandbox_send(user=user, data=data, source=RecordedExchange.Source.EDITOR)
    return rows
