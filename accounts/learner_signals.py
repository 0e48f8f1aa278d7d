"""Every XP or badge row written or deleted starts a new learner version (accounts.learner_version).

Connected in AccountsConfig.ready, so every process that writes these rows
(web workers, the sandbox server, commands) drops the learner's header entry.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.learner_version import learner_version_bump_on_commit
from accounts.models import BadgeAward, XpAward


@receiver(post_save, sender=XpAward, dispatch_uid="learner_version_xp_saved")
@receiver(post_delete, sender=XpAward, dispatch_uid="learner_version_xp_deleted")
@receiver(post_save, sender=BadgeAward, dispatch_uid="learner_version_badge_saved")
@receiver(post_delete, sender=BadgeAward, dispatch_uid="learner_version_badge_deleted")
def _learner_rows_changed(sender, instance, **kwargs) -> None:
    learner_version_bump_on_commit(instance.user_id)
