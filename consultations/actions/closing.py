"""Closing the loop: the outcome, closing without one, and reminders of outcomes still due."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consultations import audit_actions as acts
from consultations import notices
from consultations.access import CaseAccess
from consultations.actions.common import (
    case_url,
    consultants_on_case,
    lock_case,
    params,
    record_on_case,
    referring_team,
    refuse_identifiers,
)
from consultations.models import Assignment, Case, Outcome, Status
from core.errors import ActionError
from core.notifications import notify


def _end_assignments(case: Case) -> None:
    """A closed case asks nobody any more."""
    case.assignments.filter(ended_at__isnull=True).update(
        ended_at=case.closed_at, ended_reason=Assignment.Ended.WITHDRAWN
    )


@transaction.atomic
def record_outcome(
    access: CaseAccess, user: User, data: dict[str, Any], *, request: HttpRequest | None = None
) -> Outcome:
    if not access.in_referring_team:
        raise PermissionDenied
    case = lock_case(access, must_be_open=False)  # an outcome may be corrected after closing
    if case.status == Status.DRAFT:
        raise ActionError(_("A draft has no outcome to record."), code="draft", status=409)
    refuse_identifiers(
        case,
        {"operation": data.get("operation", ""), "complications": data.get("complications", "")},
        author_in_team=True,
    )
    outcome = Outcome.objects.filter(case=case).first() or Outcome(case=case)
    for field, value in data.items():
        setattr(outcome, field, value)
    outcome.recorded_by = user
    outcome.full_clean()
    outcome.save()
    consultants = consultants_on_case(case)  # before their assignments end with the case
    if case.status != Status.CLOSED:
        case.status = Status.CLOSED
        case.closed_at = timezone.now()
        case.save()
        _end_assignments(case)
    record_on_case(
        acts.OUTCOME_RECORDED,
        case,
        actor=user,
        request=request,
        detail={"management": outcome.management, "discharge": outcome.discharge_status},
    )
    notify(consultants, notices.OUTCOME, params=params(case), url=case_url(case))
    return outcome


@transaction.atomic
def close_without_outcome(
    access: CaseAccess, coordinator: User, reason: str, *, request: HttpRequest | None = None
) -> None:
    if not access.coordinates_referrer:
        raise PermissionDenied
    case = lock_case(access)
    if not reason.strip():
        raise ActionError(_("Give the reason for closing without an outcome."), code="reason")
    if case.status == Status.DRAFT:
        raise ActionError(_("Send the consultation before closing it."), code="draft", status=409)
    refuse_identifiers(case, {"reason": reason}, author_in_team=True)
    case.status = Status.CLOSED
    case.closed_at = timezone.now()
    case.closed_reason = reason.strip()
    case.save()
    told = referring_team(case) + consultants_on_case(case)  # before the assignments end
    _end_assignments(case)
    record_on_case(acts.CASE_CLOSED, case, actor=coordinator, request=request)
    notify(told, notices.CLOSED, params=params(case), url=case_url(case), exclude=coordinator)


def remind_outcomes(now: datetime | None = None) -> int:
    """Remind the referring team of answered cases that still have no outcome."""
    now = now or timezone.now()
    every = timedelta(days=settings.OUTCOME_REMINDER_DAYS)
    due = Case.objects.filter(
        status=Status.ANSWERED,
        first_answered_at__lte=now - every,
        outcome_reminders_sent__lt=settings.OUTCOME_REMINDER_LIMIT,
    ).select_related("referring_institution", "created_by")
    count = 0
    for case in due:
        if case.first_answered_at and now - case.first_answered_at < every * (
            case.outcome_reminders_sent + 1
        ):
            continue
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(outcome_reminders_sent=case.outcome_reminders_sent + 1)
            notify(referring_team(case), notices.OUTCOME_REMINDER, params=params(case), url=case_url(case))
        count += 1
    return count
