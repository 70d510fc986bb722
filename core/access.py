"""Who may read which part of the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from core.models import AuditEntry

if TYPE_CHECKING:
    from accounts.models import User


def audit_entries_for(user: User) -> QuerySet[AuditEntry]:
    """Administrators read the whole trail; coordinators read what concerns their institutions
    and the people who work there. Everyone else is refused."""
    from accounts.access import managed_institutions
    from accounts.models import Membership, Role

    if user.is_administrator:
        return AuditEntry.objects.all()
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied
    institutions = managed_institutions(user)
    members = Membership.objects.filter(institution__in=institutions).values("user_id")
    return AuditEntry.objects.filter(Q(institution__in=institutions) | Q(actor_id__in=members))
