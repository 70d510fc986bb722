from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction, declare_detail
from lib.languages import LANGUAGES

ADMIN_ADDED = AuditAction("admin.added", _("Added in the administration site"))
ADMIN_CHANGED = AuditAction("admin.changed", _("Changed in the administration site"))
ADMIN_DELETED = AuditAction("admin.deleted", _("Deleted in the administration site"))

# Keys of the detail that several apps write.
declare_detail("fields", _("Fields"))
declare_detail("count", _("Number"))
declare_detail("via", _("Through"), {"api": _("the API")})
declare_detail("why", _("Why"))
declare_detail("language", _("Language"), {language.code: language.name for language in LANGUAGES})
