from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "quiz"

    def ready(self):
        from accounts.content_version import content_models_watch
        from quiz.models import Question

        content_models_watch(Question)
