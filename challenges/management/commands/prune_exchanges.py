from django.core.management.base import BaseCommand

from challenges.retention import KEEP_DAYS, KEEP_EXCHANGES, exchanges_prune_all


class Command(BaseCommand):
    help = (
        f"Delete recorded sandbox exchanges beyond each learner's newest {KEEP_EXCHANGES} "
        f"or older than {KEEP_DAYS} days (the same rule is applied as learners send)."
    )

    def handle(self, *args, **options):
        deleted = exchanges_prune_all()
        self.stdout.write(f"Deleted {deleted} recorded exchanges.")
