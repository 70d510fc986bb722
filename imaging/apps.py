from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagingConfig(AppConfig):
    name = "imaging"
    verbose_name = _("Imaging")

    def ready(self) -> None:
        from imaging import audit_actions, node_tasks, plugins, tasks  # noqa: F401  (registers them)
