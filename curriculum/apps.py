from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = "Curriculum"

    def ready(self) -> None:
        # Connects the unit_completed receiver and lists the unit badges with the others.
        from accounts.badges import badge_family_register
        from curriculum import badges

        badge_family_register("path", badges.path_badges, notes=badges.placement_notes)
