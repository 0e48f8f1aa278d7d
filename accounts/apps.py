from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and progress"

    def ready(self) -> None:
        # Connect the receivers: the sandbox's learner marks, and the header cache's.
        from accounts import learner_signals, signals  # noqa: F401
