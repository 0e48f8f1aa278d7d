from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = "Curriculum"

    def ready(self) -> None:
        # Connects the unit_completed receiver and lists the unit badges with the others.
        from accounts.badges import badge_family_register
        from accounts.content_version import content_models_watch
        from curriculum import badges
        from curriculum.models import Lesson, Misconception, Topic, Unit

        badge_family_register("path", badges.path_badges, notes=badges.placement_notes)
        content_models_watch(Topic, Unit, Lesson, Misconception)
