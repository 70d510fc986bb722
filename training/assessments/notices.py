from django.utils.translation import gettext_lazy as _

from core.notification_kinds import NotificationKind

TO_COMPLETE = NotificationKind(
    "training.assessment_to_complete", _("%(trainee)s asks you for a workplace-based assessment.")
)
COMPLETED = NotificationKind(
    "training.assessment_completed", _("%(assessor)s completed your assessment %(assessment)s.")
)
DECLINED = NotificationKind(
    "training.assessment_declined", _("%(assessor)s declined your assessment %(assessment)s.")
)
OVERDUE_REMINDER = NotificationKind(
    "training.assessment_overdue",
    _("Workplace-based assessments waiting more than two weeks for you: %(count)s."),
)
