from django.db import IntegrityError, transaction

from accounts.models import User, XpAward


def xp_award(*, user: User, source: str, points: int) -> bool:
    """Record `points` XP for `user` from `source`; return True if awarded, False if already paid.

    Exactly-once is the database's job: the unique (user, source) constraint
    rejects the second insert, even when two requests race.
    """
    if points < 0:
        raise ValueError("XP points cannot be negative.")
    try:
        with transaction.atomic():
            XpAward.objects.create(user=user, source=source, points=points)
    except IntegrityError:
        return False
    return True
