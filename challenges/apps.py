from django.apps import AppConfig


def _path_challenge_facts(user, slugs):
    """Titles and solved state of challenges, for curriculum's path (see curriculum.registry)."""
    from challenges.models import Challenge, ChallengeSolve
    from curriculum.registry import ChallengeFact

    titles = dict(Challenge.objects.filter(slug__in=slugs).values_list("slug", "title"))
    solved = set()
    if getattr(user, "is_authenticated", False):
        solved = set(
            ChallengeSolve.objects.filter(user=user, challenge__slug__in=slugs).values_list(
                "challenge__slug", flat=True
            )
        )
    return {slug: ChallengeFact(title, slug in solved) for slug, title in titles.items()}


class ChallengesConfig(AppConfig):
    name = "challenges"

    def ready(self):
        from curriculum.registry import challenge_lookup_register

        challenge_lookup_register(_path_challenge_facts)
