from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"

    def ready(self):
        from accounts.content_version import content_models_watch
        from challenges.models import Challenge
        from challenges.selectors import path_challenge_facts
        from curriculum.registry import challenge_lookup_register

        challenge_lookup_register(path_challenge_facts)
        content_models_watch(Challenge)
