"""What the actions of every stage share: who is told, the audit entry on a case, the case's lock,
and the identifier check of text written after sending."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from consultations import audit_actions as acts
from consultations.access import CaseAccess
from consultations.models import Case, Message, Opinion, Status
from core.audit import AuditAction, record
from core.errors import ActionError
from lib.identifiers import Identity, scan


def case_url(case: Case) -> str:
    return reverse("consultations:case", args=[case.code])


def params(case: Case) -> dict[str, Any]:
    """Notification parameters: the case code, never patient data."""
    return {"case": case.code}


def referring_team(case: Case) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__institution=case.referring_institution,
            memberships__role__in=[Role.REFERRER],
        ).distinct()
    ) or [case.created_by]


def coordinators_of(institution_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__institution__in=list(institution_ids),
            memberships__role=Role.COORDINATOR,
        ).distinct()
    )


def consultants_on_case(case: Case) -> list[User]:
    """Consultants assigned now, and those who answered: the ones still part of the case."""
    ids = set(case.assignments.filter(ended_at__isnull=True).values_list("consultant_id", flat=True)) | set(
        case.opinions.values_list("consultant_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True))


def record_on_case(
    action: AuditAction,
    case: Case,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """The audit entry of something done to a case, filed under the referring institution
    (`actor` None: the platform itself, e.g. an escalation)."""
    record(
        action,
        actor=actor,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail=detail,
    )


def record_case_view(
    access: CaseAccess,
    user: User,
    *,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Every view of a case is recorded; the action says whether the identity was shown."""
    action = acts.IDENTITY_VIEWED if access.sees_identity else acts.CASE_VIEWED
    if access.via_conference is not None:  # read as one invited to this conference
        detail = {**(detail or {}), "conference": access.via_conference}
    record_on_case(action, access.case, actor=user, request=request, detail=detail)


def require_open(case: Case) -> None:
    if case.status == Status.CLOSED:
        raise ActionError(_("This consultation is closed."), code="closed", status=409)


def lock_case(access: CaseAccess, *, must_be_open: bool = True, related: Iterable[str] = ()) -> Case:
    """The case, locked for this transaction (acknowledging, answering, escalating and closing
    take the same lock, so they cannot cross), refused if closed unless `must_be_open` is False."""
    query: QuerySet[Case] = Case.objects.select_for_update()
    if related:
        query = query.select_related(*related)
    case = query.get(pk=access.case.pk)
    if must_be_open:
        require_open(case)
    return case


def refuse_identifiers(
    case: Case, texts: dict[str, str], *, author_in_team: bool, confirmed: bool = False
) -> int:
    """Text written after sending is checked like the referral was: the patient's own name,
    number, phone and dates are always refused; other numbers, phones and calendar dates are
    refused unless the author confirms them.

    For authors outside the referring team only the patterns are checked (phones, dates): matching
    their words against the patient's name would tell them the name.
    """
    identity = Identity()
    if author_in_team:
        person = case.identity
        identity = Identity.of(person)
    findings = scan(texts, identity)
    if findings and not confirmed:
        raise ActionError(
            _(
                "This may identify the patient: %(found)s. Remove it, or write dates as days (for "
                "example “day 3”)."
            )
            % {"found": ", ".join(sorted({f"“{finding.text}”" for finding in findings}))},
            code="identifiers",
            fields=tuple(sorted({finding.field for finding in findings})),
        )
    hers = [finding for finding in findings if finding.of_the_patient]
    if hers:
        # Her own name, number, phone or dates: a confirmation cannot keep them (as before sending).
        raise ActionError(
            _("The patient's own name, number, phone or date cannot be sent: %(found)s. Remove it.")
            % {"found": ", ".join(sorted({f"“{finding.text}”" for finding in hers}))},
            code="identifiers",
            fields=tuple(sorted({finding.field for finding in hers})),
        )
    return len(findings)


def save_once(item: Opinion | Message) -> None:
    """Save; if the same submission arrived twice at once, the second loses the race cleanly."""
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        if item.client_token and type(item).objects.filter(client_token=item.client_token).exists():
            raise ActionError(_("This was already sent."), code="duplicate", status=409) from None
        raise
