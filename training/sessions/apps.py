from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "training.sessions"
    label = "training_sessions"
    verbose_name = _("Workshops and training sessions")

    def ready(self) -> None:
        from training.sessions import audit_actions, notices, plugins, tasks  # noqa: F401  (registers them)
