from django.core.management.base import BaseCommand, CommandError

from quiz.loader import quiz_bank_load
from quiz.questions import ContentError


class Command(BaseCommand):
    help = (
        "Load the curriculum (quiz/content/*.yaml) into the database. Everything is validated "
        "first; a bad file changes nothing. Safe to run again: slugs are stable and learners' work is kept."
    )

    def handle(self, *args, **options):
        try:
            quiz = quiz_bank_load()
        except ContentError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Quiz: {quiz}"))
