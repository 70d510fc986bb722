from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction, declare_detail

SESSION_CREATED = AuditAction("training_sessions.created", _("Training session planned"))
SESSION_CHANGED = AuditAction("training_sessions.changed", _("Training session changed"))
SESSION_CANCELLED = AuditAction("training_sessions.cancelled", _("Training session cancelled"))
REGISTERED = AuditAction("training_sessions.registered", _("Registered for a training session"))
REGISTRATION_CANCELLED = AuditAction(
    "training_sessions.registration_cancelled", _("Registration for a training session cancelled")
)
PROMOTED = AuditAction("training_sessions.promoted", _("Moved up from the waiting list"))
ATTENDANCE_TAKEN = AuditAction("training_sessions.attendance", _("Attendance of a training session recorded"))
WALK_IN_ADDED = AuditAction(
    "training_sessions.walk_in", _("Someone who came without registering added to a training session")
)
CHECKED_IN = AuditAction("training_sessions.checked_in", _("Checked in to a training session with its code"))
CHECK_IN_REFUSED = AuditAction("training_sessions.check_in_refused", _("Wrong check-in code typed"))
FEEDBACK_GIVEN = AuditAction("training_sessions.feedback", _("Feedback on a training session given"))
FOLLOW_UP_ASKED = AuditAction(
    "training_sessions.follow_up_asked", _("Supervisor asked whether practice changed")
)
FOLLOW_UP_ANSWERED = AuditAction(
    "training_sessions.follow_up_answered", _("Supervisor answered whether practice changed")
)

# Detail keys: ids and codes only, never free text.
declare_detail("session", _("Training session"))
declare_detail("registration_status", _("Registration"))
declare_detail("attended", _("Attended"))
declare_detail("practice_changed", _("Practice changed"))
