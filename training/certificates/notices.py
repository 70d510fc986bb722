from django.utils.translation import gettext_lazy as _

from core.notification_kinds import NotificationKind

CERTIFICATE_ISSUED = NotificationKind(
    "training.certificate_issued", _("Your certificate %(code)s is ready to download.")
)
CERTIFICATE_REVOKED = NotificationKind(
    "training.certificate_revoked", _("Your certificate %(code)s has been revoked.")
)
