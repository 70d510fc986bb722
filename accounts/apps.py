from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and institutions")

    def ready(self) -> None:
        from accounts import audit_actions, plugins, signals  # noqa: F401  (registers actions and receivers)
