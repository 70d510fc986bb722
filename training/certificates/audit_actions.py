from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction, declare_detail

CERTIFICATE_ISSUED = AuditAction("training.certificate_issued", _("Certificate issued"))
CERTIFICATE_REVOKED = AuditAction("training.certificate_revoked", _("Certificate revoked"))

# Detail keys: codes and ids only, never the reason's free text.
declare_detail("certificate", _("Certificate code"))
declare_detail(
    "certificate_kind",
    _("Type of certificate"),
    {"session": _("Training session attended"), "milestone": _("Programme milestone")},
)
