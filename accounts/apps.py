from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and progress"

    def ready(self):
        from accounts import learner_signals  # noqa: F401  (connects the header cache's receivers)
