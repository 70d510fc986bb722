"""Who may read which part of the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

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
    # Entries tied to one of their institutions, and entries about one of their people that
    # belong to no institution (sign-ins, profile changes): never what those people did elsewhere.
    members = (
        Membership.objects.filter(institution__in=institutions)
        .annotate(user_key=Cast("user_id", CharField()))
        .values("user_key")
    )
    return AuditEntry.objects.filter(
        Q(institution__in=institutions)
        | Q(institution__isnull=True, object_type="accounts.user", object_id__in=members)
    )
