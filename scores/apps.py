from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoresConfig(AppConfig):
    name = "scores"
    verbose_name = _("Clinical scores")

    def ready(self) -> None:
        from consultations.signals import clinical_record_changed
        from scores import audit_actions, plugins  # noqa: F401  (registers them)
        from scores.case_scores import refresh_on_change

        clinical_record_changed.connect(refresh_on_change, dispatch_uid="scores.refresh")
