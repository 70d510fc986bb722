from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction, declare_detail

ENROLLED = AuditAction("training.enrolled", _("Trainee enrolled in a programme"))
ENTRY_LOGGED = AuditAction("training.entry_logged", _("Logbook entry recorded"))
ENTRY_CONFIRMED = AuditAction("training.entry_confirmed", _("Logbook entry validated"))
ENTRY_QUERIED = AuditAction("training.entry_queried", _("Logbook entry queried"))
ENTRY_REJECTED = AuditAction("training.entry_rejected", _("Logbook entry rejected"))
REQUIREMENT_SET = AuditAction("training.requirement_set", _("Programme requirement set"))
QUERY_ANSWERED = AuditAction("training.query_answered", _("Query on a logbook entry answered"))
ENTRY_REFUSED_IDENTIFIER = AuditAction(
    "training.entry_refused_identifier", _("Logbook entry refused: it contained an identifier")
)
ENTRY_RECOGNISED = AuditAction(
    "training.entry_recognised", _("Logbook entry validated abroad recognised by the home programme")
)
CURRICULUM_CHANGED = AuditAction("training.curriculum_changed", _("Curriculum changed by a coordinator"))
LOGBOOK_EXPORTED = AuditAction("training.logbook_exported", _("Logbook exported by the trainee"))

# Detail keys: ids and codes only, never free text.
declare_detail("supervision", _("Supervision code"))
declare_detail("programme", _("Programme"))
declare_detail("fields", _("Fields"))
declare_detail("minimum", _("Minimum number"))
declare_detail("group", _("Procedure group"))
declare_detail("format", _("Format"))
declare_detail("entries", _("Entries"))
declare_detail("part", _("Part of the curriculum"))
declare_detail("added", _("Added (not changed)"))
ENTRY_CORRECTED = AuditAction("training.entry_corrected", _("Logbook entry corrected by the trainee"))
