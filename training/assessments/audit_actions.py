from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction, declare_detail

REQUESTED = AuditAction("training.assessment_requested", _("Workplace-based assessment requested"))
COMPLETED = AuditAction("training.assessment_completed", _("Workplace-based assessment completed"))
DECLINED = AuditAction("training.assessment_declined", _("Workplace-based assessment declined"))
REFUSED_IDENTIFIER = AuditAction(
    "training.assessment_refused_identifier",
    _("Workplace-based assessment refused: it contained an identifier"),
)

# Detail keys: codes and numbers only, never the narrative.
declare_detail("kind", _("Kind of assessment"))
declare_detail("rating", _("Entrustment rating"))
