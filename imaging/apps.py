from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagingConfig(AppConfig):
    name = "imaging"
    verbose_name = _("Imaging")

    def ready(self) -> None:
        from consultations.signals import case_submitted
        from imaging import audit_actions, node_tasks, notices, plugins, receivers, tasks  # noqa: F401  (registers them)

        case_submitted.connect(receivers.share_with_the_case, dispatch_uid="imaging.share_with_the_case")
