from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction, declare_detail
from library.models import Resource, Topic

RESOURCE_ADDED = AuditAction("library.resource_added", _("Library resource added"))
RESOURCE_CHANGED = AuditAction("library.resource_changed", _("Library resource changed"))
RESOURCE_REMOVED = AuditAction("library.resource_removed", _("Library resource removed"))
TERM_ADDED = AuditAction("library.term_added", _("Glossary term added"))
TERM_CHANGED = AuditAction("library.term_changed", _("Glossary term changed"))

declare_detail("resource_kind", _("Kind of resource"), dict(Resource.Kind.choices))
declare_detail("topic", _("Topic"), dict(Topic.choices))
declare_detail("replaced", _("File or link replaced"))
declare_detail("term", _("Term"))
declare_detail("title", _("Title"))
