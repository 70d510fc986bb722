from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction

FINDINGS_RECORDED = AuditAction("scores.findings_recorded", _("CT and laboratory findings recorded"))
