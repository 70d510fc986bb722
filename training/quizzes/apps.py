from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "training.quizzes"
    label = "training_quizzes"
    verbose_name = _("Question bank and tests")

    def ready(self) -> None:
        from training.quizzes import audit_actions, plugins  # noqa: F401  (registers them)
