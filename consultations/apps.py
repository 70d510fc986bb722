from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Tele-consultation")

    def ready(self) -> None:
        from consultations import audit_actions, notices, plugins, tasks  # noqa: F401  (registers them)
