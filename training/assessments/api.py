"""JSON API of workplace-based assessments: the trainee's requests, the assessor's list and
answer (complete or decline), one assessment, the entrustment scale and the count per assessor."""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api_auth import api_user
from accounts.models import Institution, User
from core.errors import FieldErrors
from training import access as training_access
from training.assessments import access, actions
from training.assessments.models import Assessment, Entrustment
from training.assessments.queries import assessor_counts
from training.models import Competency, Procedure

router = Router(tags=["training"])

KindCode = Literal["cbd", "dops", "pba", "epa"]


class AssessmentIn(Schema):
    enrolment: int
    kind: KindCode = Field(description="cbd, dops, pba or epa (an EPA observation names a competency).")
    assessor: int = Field(description="The assessor's person id: a named supervisor or a surgeon there.")
    observed_on: date
    institution: str = Field(description="The hospital's short code (MOI).")
    procedure: str = Field("", description="A local procedure code (GET /training/procedures).")
    competency: str = Field("", description="The competency's code in the programme (EPA only).")
    summary: str = Field("", max_length=200, description="No patient identifiers.")


class CompletionIn(Schema):
    rating: int = Field(description="Entrustment, 1 (observes only) to 5 (may supervise others).")
    narrative: str
    went_well: str = ""
    to_develop: str = ""


class DeclineIn(Schema):
    reason: str


class AssessmentOut(Schema):
    id: int
    trainee: str
    assessor: str
    kind: str
    procedure: str | None
    competency: str | None
    observed_on: date
    institution: str
    summary: str
    status: str
    requested_at: datetime
    due_at: datetime
    overdue: bool
    rating: int | None
    rating_label: str | None
    narrative: str
    went_well: str
    to_develop: str
    decline_reason: str
    completed_at: datetime | None


class LevelOut(Schema):
    rating: int
    label: str


class AssessorCountOut(Schema):
    assessor: str
    completed: int
    declined: int
    waiting: int
    overdue: int
    median_days_to_complete: float | None


def assessment_out(a: Assessment) -> AssessmentOut:
    return AssessmentOut(
        id=a.pk,
        trainee=a.trainee.full_name,
        assessor=a.assessor.full_name,
        kind=a.kind,
        procedure=a.procedure.code if a.procedure is not None else None,
        competency=a.competency.code if a.competency is not None else None,
        observed_on=a.observed_on,
        institution=a.institution.short_code,
        summary=a.summary,
        status=a.status,
        requested_at=a.requested_at,
        due_at=a.due_at,
        overdue=a.is_overdue,
        rating=a.rating,
        rating_label=str(a.get_rating_display()) if a.rating else None,
        narrative=a.narrative,
        went_well=a.went_well,
        to_develop=a.to_develop,
        decline_reason=a.decline_reason,
        completed_at=a.completed_at,
    )


def _one(assessment_id: int) -> AssessmentOut:
    return assessment_out(Assessment.objects.select_related(*access.RELATED).get(pk=assessment_id))


def _problem(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message, "type": "invalid"}


def _data(user: User, payload: AssessmentIn) -> actions.RequestData:
    enrolment = training_access.own_enrolments(user).filter(pk=payload.enrolment).first()
    if enrolment is None:
        raise FieldErrors([_problem("enrolment", _("You are not enrolled in this programme."))])
    errors = []
    institution = Institution.objects.filter(short_code=payload.institution.upper(), is_active=True).first()
    if institution is None:
        errors.append(_problem("institution", _("No hospital with this code.")))
    assessor = User.objects.filter(pk=payload.assessor, is_active=True).first()
    if assessor is None:
        errors.append(
            _problem(
                "assessor",
                str(actions.NOT_AN_ASSESSOR),
            )
        )
    procedure = None
    if payload.procedure:
        procedure = Procedure.objects.filter(code=payload.procedure, is_active=True).first()
        if procedure is None:
            errors.append(_problem("procedure", _("Unknown procedure code.")))
    competency = None
    if payload.competency:
        competency = Competency.objects.filter(programme=enrolment.programme, code=payload.competency).first()
        if competency is None:
            errors.append(_problem("competency", _("This competency belongs to another programme.")))
    if errors or institution is None or assessor is None:
        raise FieldErrors(errors)
    return actions.RequestData(
        enrolment=enrolment,
        kind=payload.kind,
        assessor=assessor,
        observed_on=payload.observed_on,
        institution=institution,
        procedure=procedure,
        competency=competency,
        summary=payload.summary,
    )


@router.get(
    "/training/assessments",
    response=list[AssessmentOut],
    summary="The assessments I may see",
    operation_id="training_assessments_assessment_list",
)
def assessment_list(request: HttpRequest) -> list[AssessmentOut]:
    user = api_user(request)
    access.require_assessments_role(user)
    rows = access.visible_to(user).select_related(*access.RELATED).order_by("-requested_at", "-pk")[:200]
    return [assessment_out(a) for a in rows]


@router.post(
    "/training/assessments",
    response={201: AssessmentOut},
    summary="Trainees: ask for an assessment",
    operation_id="training_assessments_request_assessment",
)
def request_assessment(request: HttpRequest, payload: AssessmentIn) -> Status[AssessmentOut]:
    user = api_user(request)
    access.require_assessments_role(user)
    assessment = actions.request_assessment(user, _data(user, payload), request=request)
    return Status(201, _one(assessment.pk))


@router.get(
    "/training/assessments/to-complete",
    response=list[AssessmentOut],
    summary="Assessors: the requests waiting for me, the oldest first",
    operation_id="training_assessments_to_complete",
)
def to_complete(request: HttpRequest) -> list[AssessmentOut]:
    user = api_user(request)
    access.require_assessments_role(user)
    return [assessment_out(a) for a in access.to_complete(user).select_related(*access.RELATED)[:200]]


@router.get(
    "/training/assessments/scale",
    response=list[LevelOut],
    summary="The entrustment scale, 1 to 5",
    operation_id="training_assessments_scale",
)
def scale(request: HttpRequest) -> list[LevelOut]:
    return [LevelOut(rating=value, label=str(label)) for value, label in Entrustment.choices]


@router.get(
    "/training/assessments/assessors",
    response=list[AssessorCountOut],
    summary="Coordinators: the count per assessor in my programmes",
    operation_id="training_assessments_assessors",
)
def assessors(request: HttpRequest, programme: int | None = None) -> list[AssessorCountOut]:
    programmes = access.coordinated_programmes(api_user(request))
    if programme is not None:
        programmes = programmes.filter(pk=programme)
    return [
        AssessorCountOut(
            assessor=row.assessor.full_name,
            completed=row.tally.completed,
            declined=row.tally.declined,
            waiting=row.tally.waiting,
            overdue=row.tally.overdue,
            median_days_to_complete=row.tally.median_days,
        )
        for row in assessor_counts(programmes)
    ]


@router.get(
    "/training/assessments/{assessment_id}",
    response=AssessmentOut,
    summary="One assessment",
    operation_id="training_assessments_detail",
)
def detail(request: HttpRequest, assessment_id: int) -> AssessmentOut:
    return assessment_out(access.get_assessment(api_user(request), assessment_id))


@router.post(
    "/training/assessments/{assessment_id}/completion",
    response=AssessmentOut,
    summary="Assessors: the entrustment rating and narrative",
    operation_id="training_assessments_completion",
)
def completion(request: HttpRequest, assessment_id: int, payload: CompletionIn) -> AssessmentOut:
    user = api_user(request)
    assessment = access.get_assessment_to_complete(user, assessment_id)
    actions.complete_assessment(
        user,
        assessment,
        payload.rating,
        payload.narrative,
        payload.went_well,
        payload.to_develop,
        request=request,
    )
    return _one(assessment.pk)


@router.post(
    "/training/assessments/{assessment_id}/decline",
    response=AssessmentOut,
    summary="Assessors: decline a request, saying why",
    operation_id="training_assessments_decline",
)
def decline(request: HttpRequest, assessment_id: int, payload: DeclineIn) -> AssessmentOut:
    user = api_user(request)
    assessment = access.get_assessment_to_complete(user, assessment_id)
    actions.decline_assessment(user, assessment, payload.reason, request=request)
    return _one(assessment.pk)
