from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "training.assessments"
    label = "training_assessments"
    verbose_name = _("Workplace-based assessments")
