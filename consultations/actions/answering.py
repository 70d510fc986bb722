"""Answering: the consultant acknowledges and gives an opinion; both sides discuss."""

from __future__ import annotations

from typing import Any

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
    save_once,
)
from consultations.models import Case, Message, Opinion, Status
from consultations.triage import Urgency
from core.errors import ActionError
from core.notifications import notify


def _require_still_assigned(case: Case, consultant: User) -> None:
    """Checked under the case's lock: escalation may have passed the case on meanwhile."""
    if not case.assignments.filter(consultant=consultant, ended_at__isnull=True).exists():
        raise ActionError(
            _("This case has been passed to another consultant because the deadline passed."),
            code="not_assigned",
            status=409,
        )


@transaction.atomic
def acknowledge(access: CaseAccess, consultant: User, *, request: HttpRequest | None = None) -> None:
    if not access.is_assigned_consultant:
        raise PermissionDenied
    case = lock_case(access)
    _require_still_assigned(case, consultant)
    now = timezone.now()
    updated = case.assignments.filter(
        consultant=consultant, ended_at__isnull=True, acknowledged_at__isnull=True
    ).update(acknowledged_at=now)
    if not updated:
        return  # already acknowledged: a double tap changes nothing
    if case.first_acknowledged_at is None:
        case.first_acknowledged_at = now
    if case.status == Status.OPEN:
        case.status = Status.ACKNOWLEDGED
    case.save()
    record_on_case(acts.CASE_ACKNOWLEDGED, case, actor=consultant, request=request)
    notify(referring_team(case), notices.ACKNOWLEDGED, params=params(case), url=case_url(case))


@transaction.atomic
def give_opinion(
    access: CaseAccess,
    consultant: User,
    data: dict[str, Any],
    *,
    client_token: str | None = None,
    request: HttpRequest | None = None,
) -> Opinion:
    if client_token:
        earlier = Opinion.objects.filter(client_token=client_token).first()
        if (
            earlier is not None
            and earlier.consultant_id == consultant.pk
            and earlier.case_id == access.case.pk
        ):
            return earlier
        if earlier is not None:
            client_token = None  # a key reused for something else: treat this as a new opinion
    if not access.is_assigned_consultant:
        raise ActionError(
            _("Only a consultant assigned to this case can answer it."), code="not_assigned", status=403
        )
    case = lock_case(access)
    _require_still_assigned(case, consultant)
    opinion = Opinion(case=case, consultant=consultant, client_token=client_token or None, **data)
    opinion.full_clean(exclude=["client_token"])
    save_once(opinion)
    now = timezone.now()
    case.assignments.filter(
        consultant=consultant, ended_at__isnull=True, acknowledged_at__isnull=True
    ).update(acknowledged_at=now)
    case.first_acknowledged_at = case.first_acknowledged_at or now
    case.first_answered_at = case.first_answered_at or now
    case.status = Status.ANSWERED
    case.save()
    record_on_case(
        acts.OPINION_GIVEN,
        case,
        actor=consultant,
        request=request,
        detail={"opinion": opinion.pk, "recommendation": opinion.recommendation},
    )
    notify(
        referring_team(case),
        notices.OPINION,
        params=params(case),
        url=case_url(case),
        urgent=case.urgency == Urgency.EMERGENCY,
    )
    return opinion


@transaction.atomic
def post_message(
    access: CaseAccess,
    author: User,
    body: str,
    *,
    client_token: str | None = None,
    confirmed_identifiers: bool = False,
    request: HttpRequest | None = None,
) -> Message:
    if client_token:
        earlier = Message.objects.filter(client_token=client_token).first()
        if earlier is not None and earlier.author_id == author.pk and earlier.case_id == access.case.pk:
            return earlier  # the same message sent twice on a slow link
        if earlier is not None:
            client_token = None  # a key reused for something else: treat this as a new message
    if not (access.in_referring_team or access.is_answering_consultant):
        raise PermissionDenied
    case = lock_case(access)
    if case.status == Status.DRAFT:
        raise ActionError(_("Send the consultation before starting a discussion."), code="draft", status=409)
    text = body.strip()
    if not text:
        raise ActionError(_("Write a message first."), code="empty")
    flagged = refuse_identifiers(
        case, {"body": text}, author_in_team=access.in_referring_team, confirmed=confirmed_identifiers
    )
    message = Message(case=case, author=author, body=text, client_token=client_token or None)
    message.full_clean(exclude=["client_token"])
    save_once(message)
    record_on_case(
        acts.MESSAGE_POSTED,
        case,
        actor=author,
        request=request,
        detail={"message": message.pk, "identifiers_confirmed": flagged},
    )
    notify(
        referring_team(case) + consultants_on_case(case),
        notices.MESSAGE,
        params=params(case),
        url=case_url(case),
        exclude=author,
        urgent=case.urgency == Urgency.EMERGENCY and case.status != Status.ANSWERED,
    )
    return message
