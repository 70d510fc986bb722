"""Who sees which consultation, and how much of it.

- The referring institution's clinical team and coordinators see the whole case, the patient's
  identity included.
- A consultant sees the clinical record of cases assigned to them (now or before), never the
  identity. A coordinator of a consultant's institution sees the same for cases assigned there.
- Anyone else gets 404: they may not learn that the case exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from accounts.access import managed_institutions
from accounts.models import Membership, Role, User
from consultations.models import Assignment, Case, Status

REFERRING_TEAM_ROLES = (Role.REFERRER, Role.CONSULTANT, Role.SUPERVISOR, Role.COORDINATOR)


def referring_team_institutions(user: User) -> list[int]:
    return [i.pk for i in user.institutions_with_role(*REFERRING_TEAM_ROLES)]


def cases_visible_to(user: User) -> QuerySet[Case]:
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    # One set of case ids per way of seeing a case, joined with UNION: each part uses its own
    # index, where OR-ed conditions made the database scan every case (bench/consultations.py).
    ids = (
        Case.objects.filter(referring_institution__in=referring_team_institutions(user))
        .order_by()
        .values("pk")
    )
    assigned = (
        Assignment.objects.filter(consultant=user)
        .exclude(case__status=Status.DRAFT)
        .order_by()
        .values("case_id")
    )
    parts = [assigned]
    # Administrators are IT staff: they manage accounts, not patients' cases.
    if user.has_role(Role.COORDINATOR):
        consultants_there = Membership.objects.filter(
            institution__in=managed_institutions(user), role=Role.CONSULTANT
        ).values("user_id")
        parts.append(
            Assignment.objects.filter(consultant__in=consultants_there)
            .exclude(case__status=Status.DRAFT)
            .order_by()
            .values("case_id")
        )
    return Case.objects.filter(pk__in=ids.union(*parts))


@dataclass(frozen=True)
class CaseAccess:
    case: Case
    in_referring_team: bool  # sees the identity, edits drafts, records consent and outcome
    is_assigned_consultant: bool  # may acknowledge and answer
    is_answering_consultant: bool  # assigned now or before, or has answered: may write in the thread
    coordinates_referrer: bool  # coordinator of the referring institution: may assign and close

    @property
    def sees_identity(self) -> bool:
        return self.in_referring_team


def case_access(user: User, case: Case) -> CaseAccess:
    in_team = case.referring_institution_id in referring_team_institutions(user)
    assignments = [a for a in case.assignments.all() if a.consultant_id == user.pk]
    return CaseAccess(
        case=case,
        in_referring_team=in_team,
        is_assigned_consultant=any(a.ended_at is None for a in assignments),
        is_answering_consultant=bool(assignments) or case.opinions.filter(consultant=user).exists(),
        coordinates_referrer=any(
            i.pk == case.referring_institution_id for i in user.institutions_with_role(Role.COORDINATOR)
        ),
    )


def get_case_for_user(user: User, code: str) -> CaseAccess:
    case = (
        cases_visible_to(user)
        .select_related("referring_institution__country", "category", "specialty", "created_by")
        .prefetch_related("assignments__consultant")
        .filter(code=code.upper())
        .first()
    )
    if case is None:
        raise Http404
    return case_access(user, case)
