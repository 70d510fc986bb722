from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction

ADMIN_ADDED = AuditAction("admin.added", _("Added in the administration site"))
ADMIN_CHANGED = AuditAction("admin.changed", _("Changed in the administration site"))
ADMIN_DELETED = AuditAction("admin.deleted", _("Deleted in the administration site"))
