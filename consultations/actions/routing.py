"""Routing: who may answer a case, asking the best of them, assigning by hand, and passing an
unacknowledged case on when its deadline passes. The ranking itself is the pure rule in
`consultations.routing`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from consultations import audit_actions as acts
from consultations import notices
from consultations.access import CaseAccess
from consultations.actions.common import case_url, coordinators_of, lock_case, params, record_on_case
from consultations.models import Assignment, Case, Consent, OnCallShift, Status
from consultations.routing import Candidate, Need, choose
from consultations.triage import Urgency
from core.errors import ActionError
from core.notifications import notify

NOT_ELIGIBLE = _(
    "This person cannot answer this case (not a consultant, or outside the countries in the consent)."
)


def _consent_countries(case: Case) -> set[int]:
    return set(Consent.objects.get(case=case).countries.values_list("pk", flat=True))


def candidates_for(case: Case, now: datetime | None = None) -> list[Candidate]:
    """Every consultant who may see this case (consent covers their country), with what
    routing needs to know about them."""
    now = now or timezone.now()
    countries = _consent_countries(case)
    memberships = Membership.objects.filter(
        role=Role.CONSULTANT,
        user__is_active=True,
        institution__is_active=True,
        institution__country__in=countries,
    ).exclude(user=case.created_by)
    consultant_ids = set(memberships.values_list("user_id", flat=True))
    home_ids = set(
        memberships.filter(institution__country=case.referring_institution.country).values_list(
            "user_id", flat=True
        )
    )
    on_call = set(
        OnCallShift.objects.filter(
            consultant__in=consultant_ids, starts_at__lte=now, ends_at__gt=now
        ).values_list("consultant_id", flat=True)
    )
    load = dict(
        Assignment.objects.filter(consultant__in=consultant_ids, ended_at__isnull=True)
        .exclude(case__status__in=[Status.CLOSED, Status.DRAFT])
        .values("consultant")
        .annotate(n=Count("id"))
        .values_list("consultant", "n")
    )
    users = User.objects.filter(pk__in=consultant_ids).prefetch_related("subspecialties")
    return [
        Candidate(
            consultant_id=user.pk,
            subspecialties=frozenset(s.code for s in user.subspecialties.all()),
            languages=frozenset(user.languages_spoken or [user.preferred_language]),
            on_call=user.pk in on_call,
            open_cases=load.get(user.pk, 0),
            in_home_country=user.pk in home_ids,
        )
        for user in users
    ]


def _route(case: Case, *, exclude: set[int]) -> User | None:
    need = Need(
        subspecialties=frozenset(case.category.routed_to.values_list("code", flat=True)),
        language=case.created_by.preferred_language,
        home_country_first=settings.ROUTE_HOME_CONSULTANTS_FIRST,
        exclude=frozenset(exclude),
    )
    best = choose(candidates_for(case), need)
    return User.objects.get(pk=best.consultant_id) if best else None


def _assign(
    case: Case,
    consultant: User,
    *,
    via: str,
    by: User | None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Assignment:
    now = now or timezone.now()
    minutes = settings.CONSULTATION_DEADLINE_MINUTES[case.urgency]
    assignment = Assignment.objects.create(
        case=case, consultant=consultant, via=via, assigned_by=by, deadline=now + timedelta(minutes=minutes)
    )
    record_on_case(
        acts.CASE_ASSIGNED, case, actor=by, request=request, detail={"consultant": consultant.pk, "via": via}
    )
    emergency = case.urgency == Urgency.EMERGENCY
    notify(
        [consultant],
        notices.NEW_EMERGENCY if emergency else notices.NEW_CASE,
        params=params(case),
        url=case_url(case),
        urgent=emergency,
    )
    return assignment


def _no_consultant(case: Case) -> None:
    coordinators = coordinators_of([case.referring_institution_id]) or list(User.objects.administrators())
    notify(coordinators, notices.NO_CONSULTANT, params=params(case), url=case_url(case), urgent=True)


def route_new_case(case: Case, *, request: HttpRequest | None = None) -> None:
    """A case just sent: ask the best consultant, or tell the coordinators nobody can answer."""
    consultant = _route(case, exclude=set())
    if consultant is None:
        _no_consultant(case)
    else:
        _assign(case, consultant, via=Assignment.Via.ROUTING, by=None, request=request)


def assignable_consultants(case: Case) -> list[User]:
    ids = [candidate.consultant_id for candidate in candidates_for(case)]
    return list(User.objects.filter(pk__in=ids).order_by("full_name"))


@transaction.atomic
def assign_by_hand(
    access: CaseAccess, coordinator: User, consultant: User, *, request: HttpRequest | None = None
) -> Assignment:
    if not access.coordinates_referrer:
        raise PermissionDenied
    case = lock_case(access)
    if case.status == Status.DRAFT:
        raise ActionError(_("Send the consultation before assigning it."), code="draft", status=409)
    if consultant.pk not in {c.consultant_id for c in candidates_for(case)}:
        raise ActionError(NOT_ELIGIBLE, code="not_eligible")
    if case.assignments.filter(consultant=consultant, ended_at__isnull=True).exists():
        raise ActionError(_("This consultant is already assigned."), code="duplicate", status=409)
    return _assign(case, consultant, via=Assignment.Via.COORDINATOR, by=coordinator, request=request)


def escalate_overdue(now: datetime | None = None) -> int:
    """Pass every unacknowledged assignment past its deadline to the next consultant on call."""
    now = now or timezone.now()
    overdue = Assignment.objects.filter(
        ended_at__isnull=True,
        acknowledged_at__isnull=True,
        deadline__lt=now,
        case__status=Status.OPEN,
    ).values_list("pk", flat=True)
    return sum(_escalate(assignment_id, now) for assignment_id in list(overdue))


@transaction.atomic
def _escalate(assignment_id: int, now: datetime) -> bool:
    """One overdue assignment passed on; False if it was acknowledged or ended meanwhile."""
    case_id = Assignment.objects.values_list("case_id", flat=True).get(pk=assignment_id)
    Case.objects.select_for_update().filter(pk=case_id).first()  # same lock as acknowledge/answer
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("case__category", "case__referring_institution", "case__created_by")
        .get(pk=assignment_id)
    )
    if assignment.ended_at is not None or assignment.acknowledged_at is not None:
        return False  # handled meanwhile
    case = assignment.case
    assignment.ended_at, assignment.ended_reason = now, Assignment.Ended.ESCALATED
    assignment.save(update_fields=["ended_at", "ended_reason"])
    asked = set(case.assignments.values_list("consultant_id", flat=True))
    successor = _route(case, exclude=asked)
    record_on_case(
        acts.CASE_ESCALATED,
        case,
        actor=None,
        detail={
            "from_consultant": assignment.consultant_id,
            "to_consultant": successor.pk if successor else None,
        },
    )
    coordinators = coordinators_of([case.referring_institution_id])
    emergency = case.urgency == Urgency.EMERGENCY
    notify(coordinators, notices.ESCALATED, params=params(case), url=case_url(case), urgent=emergency)
    if successor is None:
        _no_consultant(case)
    else:
        new = _assign(case, successor, via=Assignment.Via.ESCALATION, by=None, now=now)
        Case.objects.filter(pk=case.pk).update(deadline=new.deadline)
    return True
