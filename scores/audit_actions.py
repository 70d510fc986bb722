from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction

FINDINGS_RECORDED = AuditAction("scores.findings_recorded", _("CT and laboratory findings recorded"))
SCORES_READ = AuditAction("scores.scores_read", _("Scores of a case read"))
FINDINGS_READ = AuditAction("scores.findings_read", _("CT and laboratory findings of a case read"))
