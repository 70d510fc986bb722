"""Who sees which consultation, and how much of it.

- The referring institution's clinical team and coordinators see the whole case, the patient's
  identity included.
- A consultant sees the clinical record of cases assigned to them now, or that they answered,
  never the identity (a consultant the case passed away from without answering loses it). A
  coordinator of a consultant's institution sees the same for cases assigned there.
- The identity is shown only where the referring institution's country keeps identifiable data
  (Tanzania), so a referral from elsewhere never exposes it.
- Anyone else gets 404: they may not learn that the case exists.

Conferences are seen by the coordinators of the organising institution and by those invited.
Those invited also read the cases on its list, as a consultant abroad does (never the identity,
never a change), and only while they are invited: teaching often discusses a closed case with
trainees who are on no case's team. A conference's list is drawn from the cases its organiser
sees, closed ones included, never a draft. What those invited read of such a case is what is
known to be de-identified, and nothing else (`CaseAccess.via_conference`):
- the case page, the advice letter and the FHIR export: built from the clinical fields alone
  (an allow-list: no identity field is ever read into them), free text checked for identifiers
  when it was written;
- imaging: only the shared series, de-identified by an allow-list and reviewed where needed
  (imaging.access);
- never the attached documents and photos (`CaseAccess.may_open_attachments`): the sender ticks
  that no name is visible, but a scanned page or a photo is not known to be de-identified, and
  the patient's consent covers the consultants asked, not a teaching round;
- and only where the patient's consent covers the country the invitee works in
  (`consent_allows`): a consent for Tanzania alone keeps the case from a teaching round abroad.

On-call shifts are kept by the consultant and by the coordinators of the consultant's
institution (the coordinators who already see that consultant's cases). The roster is read by
consultants (their own shifts) and by coordinators and administrators (every consultant's, of
every institution: they route cases to whoever is on call); the page and the API show the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Membership, Role, User
from consultations.models import (
    Assignment,
    Case,
    Conference,
    ConferenceCase,
    ConferenceParticipant,
    Consent,
    OnCallShift,
    Opinion,
    Status,
)

REFERRING_TEAM_ROLES = (Role.REFERRER, Role.CONSULTANT, Role.SUPERVISOR, Role.COORDINATOR)


def referring_team_institutions(user: User) -> list[int]:
    return [i.pk for i in user.institutions_with_role(*REFERRING_TEAM_ROLES)]


def _answering_case_ids(consultants: QuerySet[Any] | list[int]) -> list[QuerySet[Any]]:
    """Ids of the cases these consultants are assigned to now, or have answered."""
    return [
        Assignment.objects.filter(consultant__in=consultants, ended_at__isnull=True)
        .exclude(case__status=Status.DRAFT)
        .order_by()
        .values("case_id"),
        Opinion.objects.filter(consultant__in=consultants).order_by().values("case_id"),
    ]


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
    parts = _answering_case_ids([user.pk])
    # Coordinators only: administrators are IT staff and manage accounts, not patients' cases.
    coordinated = [i.pk for i in user.institutions_with_role(Role.COORDINATOR)]
    if coordinated:
        consultants_there = Membership.objects.filter(
            institution__in=coordinated, role=Role.CONSULTANT
        ).values("user_id")
        parts += _answering_case_ids(consultants_there)
    return Case.objects.filter(pk__in=ids.union(*parts))


@dataclass(frozen=True)
class CaseAccess:
    case: Case
    in_referring_team: bool  # sees the identity, edits drafts, records consent and outcome
    is_assigned_consultant: bool  # may acknowledge and answer
    is_answering_consultant: bool  # assigned now, or has answered: may write in the thread
    coordinates_referrer: bool  # coordinator of the referring institution: may assign and close
    # Seen only as one invited to this conference (its id): reads the case, changes nothing.
    via_conference: int | None = None

    @property
    def may_discuss(self) -> bool:
        """Writes in the case's thread: the referring team and its consultants, until it closes."""
        return (self.in_referring_team or self.is_answering_consultant) and not self.case.is_closed

    @property
    def may_open_attachments(self) -> bool:
        """Documents and photos are for those on the case, not those invited to discuss it: an
        uploaded file is not known to be de-identified (see the module's docstring)."""
        return self.via_conference is None

    @property
    def sees_identity(self) -> bool:
        return self.in_referring_team and self.case.referring_institution.country.holds_identifiable_data


def case_access(user: User, case: Case) -> CaseAccess:
    in_team = case.referring_institution_id in referring_team_institutions(user)
    assigned_now = any(a.consultant_id == user.pk and a.ended_at is None for a in case.assignments.all())
    return CaseAccess(
        case=case,
        in_referring_team=in_team,
        is_assigned_consultant=assigned_now,
        is_answering_consultant=assigned_now or case.opinions.filter(consultant=user).exists(),
        coordinates_referrer=any(
            i.pk == case.referring_institution_id for i in user.institutions_with_role(Role.COORDINATOR)
        ),
    )


CASE_RELATED = ("referring_institution__country", "category", "specialty", "created_by")


def get_case_for_user(user: User, code: str) -> CaseAccess:
    case = (
        cases_visible_to(user)
        .select_related(*CASE_RELATED)
        .prefetch_related("assignments__consultant")
        .filter(code=code.upper())
        .first()
    )
    if case is not None:
        return case_access(user, case)
    item = conference_item_for_invitee(user, code)
    if item is None:
        raise Http404
    return replace(case_access(user, item.case), via_conference=item.conference_id)


def conference_item_for_invitee(user: User, code: str) -> ConferenceCase | None:
    """The case `code` on a conference `user` is invited to (now: an invitation withdrawn ends it),
    if the patient's consent covers where they are (`consent_allows`)."""
    if not user.is_authenticated or not user.is_active:
        return None
    item = (
        ConferenceCase.objects.filter(case__code=code.upper(), conference__participants__person=user)
        .exclude(case__status=Status.DRAFT)
        .select_related(*(f"case__{name}" for name in CASE_RELATED))
        .prefetch_related("case__assignments__consultant")
        .order_by("conference_id")
        .first()
    )
    return item if item is not None and consent_allows(item.case, user) else None


def consent_allows(case: Case, user: User) -> bool:
    """Whether the patient's consent covers every country `user` works in: the consent names the
    countries where the case may be seen, and one invited to a conference reads it from wherever
    they are. Known to be covered, or not at all: no consent recorded, or a person with no active
    institution, or one of whose institutions is outside those countries, is not covered."""
    allowed = set(Consent.objects.filter(case=case).values_list("countries", flat=True))
    theirs = set(
        Membership.objects.filter(user=user, institution__is_active=True).values_list(
            "institution__country", flat=True
        )
    )
    return bool(theirs) and theirs <= allowed


def discussable_cases(coordinator: User) -> QuerySet[Case]:
    """The cases a coordinator may put on a conference: those they see, once sent, closed ones
    included (teaching often discusses a case after its outcome)."""
    return cases_visible_to(coordinator).exclude(status=Status.DRAFT)


def conferences_for(user: User) -> QuerySet[Conference]:
    organised = Q(institution__in=[i.pk for i in user.institutions_with_role(Role.COORDINATOR)])
    return Conference.objects.filter(organised | Q(participants__person=user)).distinct()


def get_conference(user: User, conference_id: int) -> tuple[Conference, bool]:
    """The conference and whether the user organises it (404 if they may not see it)."""
    conference = (
        conferences_for(user).select_related("institution", "organiser").filter(pk=conference_id).first()
    )
    if conference is None:
        raise Http404
    organises = any(i.pk == conference.institution_id for i in user.institutions_with_role(Role.COORDINATOR))
    return conference, organises


def get_invitation(conference: Conference, person_id: int) -> ConferenceParticipant:
    """The invitation of `person_id` to a conference the caller was allowed to load; 404 if
    that person is not invited."""
    participant = (
        ConferenceParticipant.objects.filter(conference=conference, person_id=person_id)
        .select_related("person", "conference__institution")
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def rostered_consultants(user: User) -> QuerySet[User]:
    """The consultants whose shifts `user` keeps: themselves if a consultant, and the consultants
    of the institutions they coordinate."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    coordinated = [i.pk for i in user.institutions_with_role(Role.COORDINATOR)]
    mine = Q(pk=user.pk) if user.has_role(Role.CONSULTANT) else Q(pk__in=[])
    there = Membership.objects.filter(institution__in=coordinated, role=Role.CONSULTANT).values("user_id")
    return User.objects.filter(mine | Q(pk__in=there), is_active=True).distinct().order_by("full_name")


def reads_whole_roster(user: User) -> bool:
    """Coordinators and administrators read every consultant's shifts."""
    return user.has_role(Role.COORDINATOR) or user.is_administrator


def roster_visible_to(user: User) -> QuerySet[OnCallShift]:
    """The shifts the on-call page and the API show `user` (active consultants' only); 403 for
    anyone who keeps no roster and reads none."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    shifts = OnCallShift.objects.filter(consultant__is_active=True)
    if reads_whole_roster(user):
        return shifts
    if user.has_role(Role.CONSULTANT):
        return shifts.filter(consultant=user)
    raise PermissionDenied


def get_shift_to_change(user: User, shift_id: int) -> OnCallShift:
    """A shift `user` may edit or remove (their own, or a consultant's they coordinate); 404
    otherwise, as for anything they may not know exists."""
    shift = (
        OnCallShift.objects.filter(pk=shift_id, consultant__in=rostered_consultants(user))
        .select_related("consultant")
        .first()
    )
    if shift is None:
        raise Http404
    return shift
