from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from challenges.content_schema import ContentError as ChallengeContentError
from challenges.loader import challenge_bank_load
from challenges.models import Challenge
from challenges.sandbox import DIAGNOSTIC_CODES
from classroom.loader import SetContentError, ready_made_sets_load
from curriculum.content_schema import ContentError as CurriculumContentError
from curriculum.loader import curriculum_path_load, curriculum_topics_load, misconceptions_load
from curriculum.misconceptions import ContentError as MisconceptionContentError
from quiz.loader import quiz_bank_load
from quiz.models import Question
from quiz.questions import ContentError as QuizContentError


class Command(BaseCommand):
    help = (
        "Load the curriculum (curriculum/content, quiz/content, challenges/content, "
        "classroom/content/sets.yaml) into the database. "
        "Everything is validated first and written in one transaction: a bad file changes nothing. "
        "Safe to run again: slugs are stable and learners' work is kept."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                topics = curriculum_topics_load()
                # Before the banks: their options and checks name these slugs.
                misconceptions = misconceptions_load(DIAGNOSTIC_CODES)
                quiz = quiz_bank_load()
                challenges = challenge_bank_load()
                path = curriculum_path_load(
                    question_slugs=set(
                        Question.objects.filter(is_active=True).values_list("slug", flat=True)
                    ),
                    challenge_slugs=set(
                        Challenge.objects.filter(is_active=True).values_list("slug", flat=True)
                    ),
                )
                sets = ready_made_sets_load()
        except (
            CurriculumContentError,
            MisconceptionContentError,
            QuizContentError,
            ChallengeContentError,
            SetContentError,
        ) as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Topics: {topics}"))
        self.stdout.write(self.style.SUCCESS(f"Misconceptions: {misconceptions}"))
        self.stdout.write(self.style.SUCCESS(f"Quiz: {quiz}"))
        self.stdout.write(self.style.SUCCESS(f"Challenges: {challenges}"))
        self.stdout.write(self.style.SUCCESS(f"Learning path: {path}"))
        self.stdout.write(self.style.SUCCESS(f"Ready-made challenge sets: {sets}"))
