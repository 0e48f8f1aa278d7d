from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"

    def ready(self):
        from challenges.selectors import path_challenge_facts
        from curriculum.registry import challenge_lookup_register

        challenge_lookup_register(path_challenge_facts)
