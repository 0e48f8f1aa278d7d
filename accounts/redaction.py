"""Hide a learner's sandbox key from everyone but the learner.

The key is a credential: whoever sends it in `Host: KEY.sandbox...` uses the
learner's own bookshop and writes to their record. Recorded requests and
responses carry it verbatim, so any page that shows one learner's exchange to
somebody else (an instructor's view of an attempt) passes the text through
`exchange_text_for` first.
"""

import re

__all__ = ["KEY_MASK", "exchange_text_for", "sandbox_key_redacted"]

KEY_MASK = "[learner-key]"


def sandbox_key_redacted(text: str, key: str) -> str:
    """Return `text` with every occurrence of `key`, in any letter case, replaced by KEY_MASK.

    Case does not matter because host names do not: the sandbox reads
    `Host: K3Y.sandbox.localhost` as the key `k3y`.
    """
    if not key:
        return text
    return re.sub(re.escape(key), KEY_MASK, text, flags=re.IGNORECASE)


def exchange_text_for(viewer, owner, text: str) -> str:
    """The text of `owner`'s exchange as `viewer` may read it: whole for the owner, key hidden for anyone else."""
    if viewer is not None and viewer.pk == owner.pk:
        return text
    return sandbox_key_redacted(text, owner.sandbox_key)
