from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from challenges.content_schema import ContentError as ChallengeContentError
from challenges.loader import challenge_bank_load
from classroom.loader import SetContentError, ready_made_sets_load
from quiz.loader import quiz_bank_load
from quiz.questions import ContentError as QuizContentError


class Command(BaseCommand):
    help = (
        "Load the curriculum (quiz/content, challenges/content, classroom/content/sets.yaml) into the database. "
        "Everything is validated first and written in one transaction: a bad file changes nothing. "
        "Safe to run again: slugs are stable and learners' work is kept."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                quiz = quiz_bank_load()
                challenges = challenge_bank_load()
                sets = ready_made_sets_load()
        except (QuizContentError, ChallengeContentError, SetContentError) as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Quiz: {quiz}"))
        self.stdout.write(self.style.SUCCESS(f"Challenges: {challenges}"))
        self.stdout.write(self.style.SUCCESS(f"Ready-made challenge sets: {sets}"))
