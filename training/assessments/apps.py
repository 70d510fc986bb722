from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "training.assessments"
    label = "training_assessments"
    verbose_name = _("Workplace-based assessments")

    def ready(self) -> None:
        from training.assessments import audit_actions, notices, plugins, tasks  # noqa: F401  (registers them)
