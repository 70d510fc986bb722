"""Case conferences: schedule, list cases and take them off the list, invite, withdraw an
invitation, mark attendance, summarise."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api_auth import api_user
from accounts.models import Role, User
from consultations.access import (
    cases_visible_to,
    conferences_for,
    consent_allows,
    discussable_cases,
    get_conference,
    get_invitation,
)
from consultations.actions import conferences
from consultations.models import Conference, ConferenceCase

router = Router()


class AssignCaseIn(Schema):
    case: str = Field(..., max_length=12, description="Case code")


class ConferenceIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    institution: str = Field(..., max_length=16)
    starts_at: datetime
    duration_minutes: int = Field(60, ge=15, le=480)
    video_link: str = Field("", max_length=200)


class ConferenceItemOut(Schema):
    id: int
    case: str
    summary: str
    not_seen_by: list[int] = Field(
        default_factory=list,
        description=(
            "Organisers only: the people invited who will not read this case, the patient's "
            "consent not covering where they work"
        ),
    )


class ParticipantOut(Schema):
    person_id: int
    name: str
    attended: bool


class ConferenceOut(Schema):
    id: int
    title: str
    starts_at: datetime
    duration_minutes: int
    video_link: str
    institution: str
    cases: list[ConferenceItemOut]
    participants: list[ParticipantOut]


class PeopleIn(Schema):
    people: list[int]


class SummaryIn(Schema):
    summary: str = Field(..., min_length=1, max_length=3000)


def _conference_out(conference: Conference, user: User, *, gaps: bool = False) -> ConferenceOut:
    """`gaps`: for an organiser reading one conference, who will not read which case (the list of
    every conference does not compute it)."""
    items = list(conference.items.select_related("case"))
    visible = set(
        cases_visible_to(user).filter(pk__in=[i.case_id for i in items]).values_list("pk", flat=True)
    )
    if conference.participants.filter(person=user).exists():
        # Those invited read, de-identified, the cases on the list the patient's consent lets them.
        visible |= {i.case_id for i in items if consent_allows(i.case, user)}
    not_seen: dict[int, list[int]] = {}
    if gaps:
        for gap in conferences.consent_gaps(conference, cases=[i.case for i in items]):
            not_seen.setdefault(gap.case.pk, []).append(gap.person.pk)
    return ConferenceOut(
        id=conference.pk,
        title=conference.title,
        starts_at=conference.starts_at,
        duration_minutes=conference.duration_minutes,
        video_link=conference.video_link,
        institution=conference.institution.short_code,
        # Summaries only of cases the reader may open: a conference is not a way around a case's access.
        cases=[
            ConferenceItemOut(
                id=i.pk,
                case=i.case.code,
                summary=i.summary if i.case_id in visible else "",
                not_seen_by=not_seen.get(i.case_id, []),
            )
            for i in items
        ],
        participants=[
            ParticipantOut(person_id=p.person_id, name=p.person.full_name, attended=p.attended)
            for p in conference.participants.select_related("person")
        ],
    )


def _organised(request: HttpRequest, conference_id: int) -> tuple[User, Conference]:
    user = api_user(request)
    conference, organises = get_conference(user, conference_id)
    if not organises:
        raise PermissionDenied
    return user, conference


def _listed(conference: Conference, item_id: int) -> ConferenceCase:
    """A case on the list of a conference the caller was allowed to load; 404 otherwise."""
    item = conference.items.select_related("case").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


@router.get("/conferences", response=list[ConferenceOut], tags=["conferences"])
def list_conferences(request: HttpRequest) -> list[ConferenceOut]:
    items = conferences_for(api_user(request)).select_related("institution").order_by("-starts_at")[:100]
    return [_conference_out(c, api_user(request)) for c in items]


@router.post(
    "/conferences", response={201: ConferenceOut}, tags=["conferences"], summary="Schedule a conference"
)
def create_conference(request: HttpRequest, payload: ConferenceIn) -> Status[ConferenceOut]:
    user = api_user(request)
    institution = next(
        (i for i in user.institutions_with_role(Role.COORDINATOR) if i.short_code == payload.institution),
        None,
    )
    if institution is None:
        raise PermissionDenied
    conference = conferences.schedule(
        user,
        institution=institution,
        title=payload.title,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        video_link=payload.video_link,
        request=request,
    )
    return Status(201, _conference_out(conference, user))


@router.get("/conferences/{conference_id}", response=ConferenceOut, tags=["conferences"])
def read_conference(request: HttpRequest, conference_id: int) -> ConferenceOut:
    user = api_user(request)
    conference, organises = get_conference(user, conference_id)
    conferences.record_view(user, conference, request=request)
    return _conference_out(conference, user, gaps=organises)


@router.post("/conferences/{conference_id}/cases", response=ConferenceOut, tags=["conferences"])
def add_conference_case(request: HttpRequest, conference_id: int, payload: AssignCaseIn) -> ConferenceOut:
    user, conference = _organised(request, conference_id)
    case = discussable_cases(user).filter(code=payload.case.upper()).first()
    if case is None:
        raise Http404
    conferences.add_case(user, conference, case, request=request)
    return _conference_out(conference, user, gaps=True)


@router.delete(
    "/conferences/{conference_id}/cases/{item_id}",
    response=ConferenceOut,
    tags=["conferences"],
    summary="Take a case off the list",
)
def remove_conference_case(request: HttpRequest, conference_id: int, item_id: int) -> ConferenceOut:
    """The case leaves the list with its summary; those invited no longer read it through this
    conference. 404 if it is not on this conference's list."""
    user, conference = _organised(request, conference_id)
    conferences.remove_case(user, _listed(conference, item_id), request=request)
    return _conference_out(conference, user, gaps=True)


@router.post("/conferences/{conference_id}/participants", response=ConferenceOut, tags=["conferences"])
def invite_to_conference(request: HttpRequest, conference_id: int, payload: PeopleIn) -> ConferenceOut:
    user, conference = _organised(request, conference_id)
    people = list(User.objects.filter(pk__in=payload.people, is_active=True))
    if len(people) != len(set(payload.people)):
        raise Http404
    conferences.invite(user, conference, people, request=request)
    return _conference_out(conference, user, gaps=True)


@router.delete(
    "/conferences/{conference_id}/participants/{person_id}",
    response=ConferenceOut,
    tags=["conferences"],
    summary="Withdraw an invitation",
)
def withdraw_invitation(request: HttpRequest, conference_id: int, person_id: int) -> ConferenceOut:
    """The person no longer sees the conference nor its cases, and is told. 404 if they are not
    invited; 409 if they were marked present (unmark them first: attendance counts as training),
    or for the organiser, who stays invited."""
    user, conference = _organised(request, conference_id)
    conferences.withdraw_invitation(user, get_invitation(conference, person_id), request=request)
    return _conference_out(conference, user, gaps=True)


@router.put("/conferences/{conference_id}/attendance", response=ConferenceOut, tags=["conferences"])
def conference_attendance(request: HttpRequest, conference_id: int, payload: PeopleIn) -> ConferenceOut:
    user, conference = _organised(request, conference_id)
    conferences.record_attendance(user, conference, payload.people, request=request)
    return _conference_out(conference, user, gaps=True)


@router.put(
    "/conferences/{conference_id}/cases/{item_id}/summary", response=ConferenceOut, tags=["conferences"]
)
def conference_summary(
    request: HttpRequest, conference_id: int, item_id: int, payload: SummaryIn
) -> ConferenceOut:
    user, conference = _organised(request, conference_id)
    item = _listed(conference, item_id)
    conferences.summarise(user, item, payload.summary, request=request)
    return _conference_out(conference, user, gaps=True)
