from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "training.certificates"
    label = "training_certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from training.certificates import audit_actions, notices, plugins  # noqa: F401  (registers them)
