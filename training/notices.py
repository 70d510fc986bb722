from django.utils.translation import gettext_lazy as _

from core.notification_kinds import NotificationKind
from training.models import EntryStatus

ENTRY_TO_VALIDATE = NotificationKind(
    "training.entry_to_validate", _("%(trainee)s logged an operation for you to validate.")
)
ENTRY_QUERIED = NotificationKind(
    "training.entry_queried", _("Your supervisor has a question about logbook entry %(entry)s.")
)
ENTRY_DECIDED = NotificationKind(
    "training.entry_decided",
    _("Logbook entry %(entry)s: %(decision)s."),
    labels={"decision": dict(EntryStatus.choices)},
)
ENTRY_RECOGNISED = NotificationKind(
    "training.entry_recognised",
    _("Your programme recognised logbook entry %(entry)s, validated abroad: it now counts."),
)
VALIDATION_REMINDER = NotificationKind(
    "training.validation_reminder",
    _("%(count)s logbook entries have waited more than a week for your validation."),
)
ENTRY_CORRECTED = NotificationKind(
    "training.entry_corrected",
    _("%(trainee)s corrected logbook entry %(entry)s for you to validate."),
)
