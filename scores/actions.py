"""What is read of a case's scores and findings from outside its referring team, audited by the
same rule as imaging's reads (`consultations.actions.record_case_read`): one entry per person,
case and kind of read per sitting and UTC day; nothing for the case's referring team."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User
from consultations.access import CaseAccess
from consultations.actions import record_case_read
from core.audit import AuditAction
from scores.audit_actions import FINDINGS_READ, SCORES_READ

__all__ = ["FINDINGS_READ", "SCORES_READ", "record_read"]


def record_read(
    action: AuditAction, access: CaseAccess, user: User, request: HttpRequest | None, **detail: str | int
) -> None:
    """A read of the case's scores or findings, once per sitting and UTC day."""
    record_case_read(
        action, access.case, user, request, in_referring_team=access.in_referring_team, scope=None, **detail
    )
