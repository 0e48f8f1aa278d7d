"""Adding a confirmed email address to an account.

Sign-up never stores the address it is given (that would tell the person
signing up whether it already had an account); it mails a link instead, and
the address joins the account only when that link is followed. The unique
constraint on lower(email) is the final judge when two accounts race for it.
"""

from django.db import IntegrityError, transaction

from accounts.models import User


def email_address_confirm(*, user: User, address: str) -> bool:
    """Give `user` the `address`; False (and no change) if another account has it."""
    if User.objects.filter(email__iexact=address).exclude(pk=user.pk).exists():
        return False
    user.email = address
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        user.refresh_from_db(fields=["email"])
        return False
    return True
