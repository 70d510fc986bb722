"""Closing the loop: the outcome, closing without one, and reminders of outcomes still due."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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
from consultations.models import Assignment, Case, Opinion, Outcome, PatientIdentity, Status
from core.errors import ActionError, FieldErrors
from core.notifications import notify
from lib import outcome_rules as rules

# What each contradiction found by lib.outcome_rules says, on the page and in the API.
OUTCOME_MESSAGES = {
    rules.NOT_OPERATED_DIED_FIRST: _(
        "The patient died before treatment, so there was no operation: leave this empty or change what was done."
    ),
    rules.NOT_OPERATED_CONSERVATIVE: _(
        "The patient was managed conservatively, so there was no operation: leave this empty or change what was done."
    ),
    rules.DIED_FIRST_MEANS_DIED: _("The patient died before treatment: the status at discharge is “Died”."),
    rules.OPERATION_MISSING: _("Say which operation was done."),
    rules.OPERATED_HERE_NOT_BY_RECEIVER: _(
        "Operated here, so not by the receiving hospital: say who operated, or choose “Transferred”."
    ),
    rules.OPERATION_IN_FUTURE: _("The date of operation cannot be in the future."),
    rules.OPERATION_BEFORE_BIRTH: _("The date of operation is before the patient's date of birth."),
    rules.OPERATION_BEFORE_INJURY: _("The date of operation is before the injury."),
    rules.OPERATION_BEFORE_ADMISSION: _("The date of operation is before the admission."),
    rules.OPERATION_BEFORE_REFERRAL: _(
        "The date of operation is before the case was sent for consultation: record here what was done after it."
    ),
    rules.ALIVE_NOT_GOSE_1: _(
        "GOS-E 1 means dead, but the status at discharge says alive: correct one of them."
    ),
    rules.DIED_MEANS_GOSE_1: _("The patient died: the GOS-E at discharge is 1, or leave it empty."),
    rules.NOT_DISCHARGED_YET: _(
        "The patient is still admitted: give the GOS-E at discharge when the patient leaves."
    ),
    rules.DEAD_EARLIER_MEANS_GOSE_1: _("The patient died before discharge: the GOS-E at 6 months is 1."),
    rules.SIX_MONTHS_NOT_YET: _("Six months have not passed yet: give the GOS-E at 6 months when they have."),
}


def _end_assignments(case: Case) -> None:
    """A closed case asks nobody any more. Each side should read why a consultant's part ended:
    one who gave an opinion answered; one still asked was stopped by the closing, not withdrawn."""
    current = case.assignments.filter(ended_at__isnull=True)
    answered = Opinion.objects.filter(case=case).values("consultant")
    current.filter(consultant__in=answered).update(
        ended_at=case.closed_at, ended_reason=Assignment.Ended.ANSWERED
    )
    current.exclude(consultant__in=answered).update(
        ended_at=case.closed_at, ended_reason=Assignment.Ended.CASE_CLOSED
    )


@transaction.atomic
def record_outcome(
    access: CaseAccess, user: User, data: dict[str, Any], *, request: HttpRequest | None = None
) -> bool:
    """Record (or correct) what happened to the patient, close the case and tell the consultants
    who answered. False when the outcome was sent back as it is stored: then nothing is saved,
    audited or told (a form saved twice must not e-mail the consultants twice)."""
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
    if (
        outcome.pk
        and case.status == Status.CLOSED
        and all(getattr(outcome, field) == value for field, value in data.items())
    ):
        return False
    for field, value in data.items():
        setattr(outcome, field, value)
    refuse_contradictions(case, outcome)  # before anything is saved, closed or told
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
    return True


def known_dates(case: Case) -> rules.KnownDates:
    """The record's dates as calendar days at the referring hospital (where the outcome is written)."""
    zone = ZoneInfo(case.referring_institution.time_zone)

    def day(moment: datetime | None) -> date | None:
        return moment.astimezone(zone).date() if moment else None

    person = PatientIdentity.objects.filter(case=case).first()
    return rules.KnownDates(
        today=timezone.now().astimezone(zone).date(),
        born_on=person.date_of_birth if person else None,
        injured_on=day(case.injury_at),
        admitted_on=person.admitted_on if person else None,
        referred_on=day(case.submitted_at),
    )


def refuse_contradictions(case: Case, outcome: Outcome) -> None:
    """The consistency rules of lib.outcome_rules, each refusal naming its field."""
    problems = rules.outcome_problems(
        rules.OutcomeValues(
            management=outcome.management,
            discharge_status=outcome.discharge_status,
            operated_by=outcome.operated_by or "",
            operation=outcome.operation or "",
            operation_date=outcome.operation_date,
            gose_discharge=outcome.gose_discharge,
            gose_6_months=outcome.gose_6_months,
        ),
        known_dates(case),
    )
    if problems:
        raise FieldErrors(
            [
                {"field": field, "message": str(OUTCOME_MESSAGES[code]), "type": code}
                for field, code in problems.items()
            ]
        )


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
