"""JSON API of workshops and training sessions: the same actions as the pages."""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api_auth import api_user
from accounts.models import Institution, User
from consultations.access import conferences_for
from core.errors import FieldErrors
from training.sessions import access, actions, queries
from training.sessions.forms import places_of
from training.sessions.models import Registration, RegistrationStatus, Session
from training.sessions.models import Status as SessionStatus

router = Router(tags=["training"])

CadreCode = Literal[
    "neurosurgeon",
    "resident",
    "medical-officer",
    "nurse",
    "clinical-officer",
    "anaesthetist",
    "radiographer",
    "other",
]


class SessionIn(Schema):
    title: str = Field(max_length=200)
    starts_at: datetime = Field(description="With its zone (ISO 8601), e.g. 2026-12-10T09:00:00+03:00.")
    ends_at: datetime
    institution: str = Field(description="The organising institution's short code (MOI).")
    capacity: int = Field(ge=1, le=1000)
    language: Literal["en", "sw", "zh-hans"] = "en"
    topic: str = Field("", max_length=200)
    description: str = Field("", max_length=3000)
    kind: Literal["workshop", "course", "lecture", "simulation"] = "workshop"
    venue: str = Field("", max_length=200)
    video_link: str = Field("", max_length=200, description="https only.")
    audience: list[CadreCode] = Field(default_factory=list, description="Empty: every cadre.")
    trainers: list[int] = Field(default_factory=list, description="Person ids.")


class SessionOut(Schema):
    id: int
    title: str
    language: str
    topic: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    video_link: str
    institution: str
    capacity: int
    places_taken: int
    audience: list[str]
    trainers: list[str]
    status: str
    my_registration: str | None = Field(description="registered, waiting or null.")
    my_position: int | None = Field(description="My place on the waiting list.")
    check_in_code: str | None = Field(description="Only for its coordinators and trainers.")


class HeldOut(Schema):
    kind: Literal["session", "case-conference"]
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    attended: int


class RegisterIn(Schema):
    cadre: CadreCode


class RegistrationOut(Schema):
    session: int
    status: str
    position: int | None
    attended: bool


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


class AttendanceIn(Schema):
    attended: list[int] = Field(description="Registration ids of those who came; the others did not.")


class AttendeeOut(Schema):
    registration: int
    person: str
    cadre: str
    status: str
    position: int | None
    attended: bool
    checked_in_at: datetime | None
    checked_in_by: str
    walk_in: bool = Field(description="Came without registering.")


class WalkInIn(Schema):
    person: int = Field(description="The person's id, from walk-in-candidates.")
    cadre: CadreCode


class CandidateOut(Schema):
    id: int
    name: str
    places: list[str] = Field(description="Where they work: 'MOI, Tanzania'.")


class WalkInOut(Schema):
    attendee: AttendeeOut
    over_capacity: bool = Field(description="Every place was taken: recorded all the same.")
    outside_audience: bool = Field(description="The session was for other cadres: counted all the same.")


class RatingOut(Schema):
    question: str = Field(description="relevance, teaching, practical or organisation.")
    mean: float | None
    scores: list[int] = Field(description="How many gave 1, 2, 3, 4 and 5.")


class FollowUpAnswerOut(Schema):
    participant: str
    supervisor: str
    practice_changed: str
    comment: str
    answered_at: datetime


class EvaluationOut(Schema):
    feedback_count: int
    feedback_held_back: bool = Field(
        description="Fewer than 3 participants answered: the ratings and comments are held back "
        "(empty), so that no answer can be told apart."
    )
    ratings: list[RatingOut]
    comments: list[str] = Field(description="Latest first, at most 20, without who wrote them.")
    comments_total: int
    follow_ups_asked: int
    follow_ups_answered: int
    practice_changed: dict[str, int] = Field(description="Answers by kind: yes, partly, no, unknown.")
    follow_up_answers: list[FollowUpAnswerOut] | None = Field(
        description="Each answer, naming the participant: for the coordinators only (null for trainers)."
    )


class CheckInIn(Schema):
    code: str = Field(max_length=20)


class CheckInOut(Schema):
    session: int
    already_checked_in: bool
    checked_in_at: datetime


class FeedbackIn(Schema):
    relevance: int = Field(ge=1, le=5)
    teaching: int = Field(ge=1, le=5)
    practical: int = Field(ge=1, le=5)
    organisation: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)


class FollowUpIn(Schema):
    practice_changed: Literal["yes", "partly", "no", "unknown"]
    comment: str = Field("", max_length=2000)


class Done(Schema):
    ok: bool


def session_out(user: User, session: Session) -> SessionOut:
    mine = (
        Registration.objects.filter(session=session, participant=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    return SessionOut(
        id=session.pk,
        title=session.title,
        language=session.language,
        topic=session.topic,
        kind=session.kind,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        venue=session.venue,
        video_link=session.video_link,
        institution=session.institution.short_code,
        capacity=session.capacity,
        places_taken=actions.places_taken(session),
        audience=list(session.audience),
        trainers=[trainer.full_name for trainer in session.trainers.all()],
        status=session.status,
        my_registration=mine.status if mine else None,
        my_position=mine.position if mine else None,
        check_in_code=session.check_in_code if access.can_see_attendance(user, session) else None,
    )


def _data(payload: SessionIn) -> actions.SessionData:
    errors = []
    institution = Institution.objects.filter(short_code=payload.institution.upper(), is_active=True).first()
    if institution is None:
        errors.append(
            {"field": "institution", "message": _("No institution with this code."), "type": "invalid"}
        )
    trainers = list(User.objects.filter(pk__in=payload.trainers, is_active=True))
    if len(trainers) != len(set(payload.trainers)):
        errors.append({"field": "trainers", "message": _("Unknown person."), "type": "invalid"})
    if errors or institution is None:
        raise FieldErrors(errors)
    fields = payload.dict(exclude={"institution", "trainers"})
    return actions.SessionData(institution=institution, trainers=trainers, **fields)


@router.get("/training/sessions", response=list[SessionOut], summary="Sessions coming up")
def upcoming(request: HttpRequest) -> list[SessionOut]:
    user = api_user(request)
    access.require_member(user)
    sessions = (
        access.sessions_visible_to(user)
        .filter(ends_at__gte=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("institution")
        .prefetch_related("trainers")
        .order_by("starts_at")[:100]
    )
    return [session_out(user, session) for session in sessions]


@router.get(
    "/training/held-sessions",
    response=list[HeldOut],
    summary="Sessions held, with case conferences of the consultations, and how many attended",
)
def held(request: HttpRequest) -> list[HeldOut]:
    user = api_user(request)
    access.require_member(user)
    rows = queries.held_sessions(sessions=access.sessions_visible_to(user), conferences=conferences_for(user))
    return [
        HeldOut(
            kind=row.kind,  # type: ignore[arg-type]
            id=row.id,
            title=row.title,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            attended=row.attended,
        )
        for row in rows[:200]
    ]


@router.post("/training/sessions", response={201: SessionOut}, summary="Coordinators: plan a session")
def create(request: HttpRequest, payload: SessionIn) -> Status[SessionOut]:
    user = api_user(request)
    if not access.may_organise(user):
        raise PermissionDenied
    session = actions.create_session(user, _data(payload), request=request)
    return Status(201, session_out(user, session))


@router.post(
    "/training/sessions/check-in",
    response=CheckInOut,
    summary="Check in with the code shown during the session",
    description="A second check-in answers `already_checked_in: true`; wrong codes are slowed down (429).",
)
def check_in(request: HttpRequest, payload: CheckInIn) -> CheckInOut:
    user = api_user(request)
    access.require_member(user)
    done = actions.check_in(user, payload.code, request=request)
    registration = done.registration
    assert registration.checked_in_at is not None  # noqa: S101
    return CheckInOut(
        session=registration.session_id,
        already_checked_in=done.already,
        checked_in_at=registration.checked_in_at,
    )


@router.get("/training/sessions/{session_id}", response=SessionOut, summary="A session")
def detail(request: HttpRequest, session_id: int) -> SessionOut:
    user = api_user(request)
    return session_out(user, access.get_session(user, session_id))


@router.put("/training/sessions/{session_id}", response=SessionOut, summary="Coordinators: change a session")
def change(request: HttpRequest, session_id: int, payload: SessionIn) -> SessionOut:
    user = api_user(request)
    session = access.get_session_to_manage(user, session_id)
    return session_out(user, actions.change_session(user, session, _data(payload), request=request))


@router.post(
    "/training/sessions/{session_id}/cancel", response=SessionOut, summary="Coordinators: cancel a session"
)
def cancel(request: HttpRequest, session_id: int, payload: CancelIn) -> SessionOut:
    user = api_user(request)
    session = access.get_session_to_manage(user, session_id)
    return session_out(user, actions.cancel_session(user, session, payload.reason, request=request))


def registration_out(registration: Registration) -> RegistrationOut:
    return RegistrationOut(
        session=registration.session_id,
        status=registration.status,
        position=registration.position,
        attended=registration.attended,
    )


@router.post(
    "/training/sessions/{session_id}/registration",
    response={201: RegistrationOut},
    summary="Register (or join the waiting list when it is full)",
)
def register(request: HttpRequest, session_id: int, payload: RegisterIn) -> Status[RegistrationOut]:
    user = api_user(request)
    session = access.get_session(user, session_id)
    return Status(201, registration_out(actions.register(user, session, payload.cadre, request=request)))


@router.delete(
    "/training/sessions/{session_id}/registration", response=RegistrationOut, summary="Cancel my registration"
)
def unregister(request: HttpRequest, session_id: int) -> RegistrationOut:
    user = api_user(request)
    session = access.get_session(user, session_id)
    return registration_out(actions.cancel_registration(user, session, request=request))


def _attendees(session: Session) -> list[AttendeeOut]:
    rows = session.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("participant")
    return [_attendee(r) for r in rows]


def _attendee(r: Registration) -> AttendeeOut:
    return AttendeeOut(
        registration=r.pk,
        person=r.participant.full_name,
        cadre=r.cadre,
        status=r.status,
        position=r.position,
        attended=r.attended,
        checked_in_at=r.checked_in_at,
        checked_in_by=r.checked_in_by,
        walk_in=r.walk_in,
    )


@router.get(
    "/training/sessions/{session_id}/attendance",
    response=list[AttendeeOut],
    summary="Coordinators and trainers: who registered and who came",
)
def attendance(request: HttpRequest, session_id: int) -> list[AttendeeOut]:
    user = api_user(request)
    return _attendees(access.get_attendance(user, session_id))


@router.put(
    "/training/sessions/{session_id}/attendance",
    response=list[AttendeeOut],
    summary="Coordinators: record who came",
    description="The coordinators of the organising institution only; its trainers read the list.",
)
def take_attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> list[AttendeeOut]:
    user = api_user(request)
    session = access.get_attendance_to_take(user, session_id)
    actions.take_attendance(user, session, set(payload.attended), request=request)
    return _attendees(session)


@router.get(
    "/training/sessions/{session_id}/walk-in-candidates",
    response=list[CandidateOut],
    summary="Coordinators: find someone who came without registering",
    description="People with a role at a partner institution whose name or e-mail holds `q` (two "
    "characters at least) and who are not on the list yet; at most 10.",
)
def walk_in_candidates(request: HttpRequest, session_id: int, q: str = "") -> list[CandidateOut]:
    user = api_user(request)
    session = access.get_attendance_to_take(user, session_id)
    found = actions.walk_in_candidates(session, q[:100], exclude=user)[: actions.WALK_IN_CANDIDATES_SHOWN]
    return [CandidateOut(id=person.pk, name=person.full_name, places=places_of(person)) for person in found]


@router.post(
    "/training/sessions/{session_id}/walk-ins",
    response={201: WalkInOut},
    summary="Coordinators: record someone who came without registering as attended",
    description="Recorded even when every place is taken (`over_capacity`) or the session is for "
    "other cadres (`outside_audience`): they came.",
)
def add_walk_in(request: HttpRequest, session_id: int, payload: WalkInIn) -> Status[WalkInOut]:
    user = api_user(request)
    session = access.get_attendance_to_take(user, session_id)
    person = User.objects.filter(pk=payload.person).first()
    if person is None:
        raise FieldErrors(
            [
                {
                    "field": "person",
                    "message": _("Choose a person with a role at a partner institution."),
                    "type": "invalid",
                }
            ]
        )
    done = actions.add_walk_in(user, session, person, payload.cadre, request=request)
    return Status(
        201,
        WalkInOut(
            attendee=_attendee(done.registration),
            over_capacity=done.over_capacity,
            outside_audience=done.outside_audience,
        ),
    )


@router.get(
    "/training/sessions/{session_id}/evaluation",
    response=EvaluationOut,
    summary="Coordinators and trainers: the participants' feedback and the supervisors' answers",
    description="Feedback is read without who gave it. The supervisors' answers, which name the "
    "participant, are given to the coordinators of the organising institution only.",
)
def evaluation(request: HttpRequest, session_id: int) -> EvaluationOut:
    user = api_user(request)
    session = access.get_attendance(user, session_id)
    summary = queries.feedback_summary(session)
    comments, comments_total = queries.feedback_comments(session)
    asked, answered, answers = queries.follow_up_summary(session)
    shown = queries.follow_up_answers(session)[0] if access.can_manage(user, session) else None
    held_back = queries.feedback_held_back(summary.count)
    return EvaluationOut(
        feedback_count=summary.count,
        feedback_held_back=held_back,
        ratings=[]
        if held_back
        else [
            RatingOut(question=name, mean=summary.averages[name], scores=summary.spread[name])
            for name in queries.RATINGS
        ],
        comments=[] if held_back else comments,
        comments_total=0 if held_back else comments_total,
        follow_ups_asked=asked,
        follow_ups_answered=answered,
        practice_changed=answers,
        follow_up_answers=None
        if shown is None
        else [
            FollowUpAnswerOut(
                participant=answer.registration.participant.full_name,
                supervisor=answer.supervisor.full_name,
                practice_changed=answer.practice_changed,
                comment=answer.comment,
                answered_at=answer.answered_at,
            )
            for answer in shown
            if answer.answered_at is not None
        ],
    )


@router.post(
    "/training/sessions/{session_id}/feedback",
    response={201: Done},
    summary="Participants who attended: feedback (once)",
)
def feedback(request: HttpRequest, session_id: int, payload: FeedbackIn) -> Status[Done]:
    user = api_user(request)
    session = access.get_session(user, session_id)
    ratings = payload.dict(exclude={"comment"})
    actions.give_feedback(user, session, ratings, payload.comment, request=request)
    return Status(201, Done(ok=True))


@router.post(
    "/training/sessions/follow-ups/{follow_up_id}",
    response=Done,
    summary="Supervisors: answer whether the participant's practice changed",
)
def answer_follow_up(request: HttpRequest, follow_up_id: int, payload: FollowUpIn) -> Done:
    user = api_user(request)
    question = access.get_follow_up(user, follow_up_id)
    actions.answer_follow_up(user, question, payload.practice_changed, payload.comment, request=request)
    return Done(ok=True)
