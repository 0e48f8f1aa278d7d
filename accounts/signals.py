"""Renew a learner's sandbox mark (accounts.learner_marks) when what the TCP sandbox reads changes.

The sandbox reads who a key belongs to (the user row: active, time zone), the
badge it awards and whether today already counts as active. Those change
rarely, and mostly through services; an edit in the admin or a deletion goes
through these signals, so the sandbox never answers from an outdated reading.
A deleted active day (or totals row) also drops the day's activity mark
(accounts.services.activity_record), so that day is recorded again.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.learner_marks import learner_mark_renew
from accounts.models import ActivityDay, BadgeAward, LearnerTotals, User
from accounts.services import activity_mark_forget


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def user_changed(sender, instance: User, **kwargs) -> None:
    learner_mark_renew(instance.sandbox_key)


@receiver(post_delete, sender=BadgeAward)
@receiver(post_delete, sender=ActivityDay)
@receiver(post_save, sender=LearnerTotals)
@receiver(post_delete, sender=LearnerTotals)
def learner_record_changed(sender, instance, **kwargs) -> None:
    key = User.objects.filter(pk=instance.user_id).values_list("sandbox_key", flat=True).first()
    if key is not None:
        learner_mark_renew(key)


@receiver(post_delete, sender=ActivityDay)
def activity_day_deleted(sender, instance: ActivityDay, **kwargs) -> None:
    activity_mark_forget(user_id=instance.user_id, day=instance.day)


@receiver(post_delete, sender=LearnerTotals)
def totals_deleted(sender, instance: LearnerTotals, **kwargs) -> None:
    if instance.last_active_day is not None:
        activity_mark_forget(user_id=instance.user_id, day=instance.last_active_day)
