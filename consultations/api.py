"""JSON API for consultations: the same actions and permissions as the pages."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import Field

from accounts.api_auth import api_user
from accounts.models import Role, User
from consultations import actions, conferences, exports, roster
from consultations import audit_actions as acts
from consultations.access import CaseAccess, cases_visible_to, get_case_for_user
from consultations.models import Case, Consent, Outcome
from consultations.views.lists import BOXES, _box, _with_list_columns
from core.audit import record
from core.errors import ActionError
from core.models import Country, DiagnosisCategory, Notification
from lib import files

router = Router(tags=["consultations"])

GcsEye = Literal["1", "2", "3", "4", "NT", ""]
GcsVerbal = Literal["1", "2", "3", "4", "5", "NT", ""]
GcsMotor = Literal["1", "2", "3", "4", "5", "6", "NT", ""]
Reaction = Literal["brisk", "sluggish", "non_reactive", "not_assessable", ""]


class IdentityIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=200)
    hospital_number: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    date_of_birth: date | None = None
    admitted_on: date | None = None


class ClinicalIn(Schema):
    """The clinical record; ranges match the form's (values outside them are refused with 422)."""

    urgency: Literal["emergency", "urgent", "routine"] | None = None
    age_value: int | None = Field(None, ge=0, le=120)
    age_unit: Literal["years", "months"] | None = None
    sex: Literal["female", "male", "unknown", ""] | None = None
    presenting_complaint: str | None = Field(None, max_length=300)
    history: str | None = Field(None, max_length=4000)
    mechanism: (
        Literal[
            "motorcycle",
            "pedestrian",
            "vehicle",
            "fall_height",
            "fall_level",
            "assault",
            "sport",
            "other",
            "",
        ]
        | None
    ) = None
    injury_at: datetime | None = None
    gcs_eye: GcsEye | None = None
    gcs_verbal: GcsVerbal | None = None
    gcs_motor: GcsMotor | None = None
    gcs_falling: bool | None = None
    pupil_left_mm: int | None = Field(None, ge=1, le=9)
    pupil_left_reaction: Reaction | None = None
    pupil_right_mm: int | None = Field(None, ge=1, le=9)
    pupil_right_reaction: Reaction | None = None
    systolic_bp: int | None = Field(None, ge=40, le=300)
    diastolic_bp: int | None = Field(None, ge=20, le=200)
    heart_rate: int | None = Field(None, ge=20, le=250)
    respiratory_rate: int | None = Field(None, ge=4, le=80)
    oxygen_saturation: int | None = Field(None, ge=50, le=100)
    temperature: Decimal | None = Field(None, ge=30, le=45, decimal_places=1)
    focal_deficits: str | None = Field(None, max_length=2000)
    seizures: Literal["none", "single", "recurrent", "status", ""] | None = None
    comorbidities: str | None = Field(None, max_length=2000)
    medication: str | None = Field(None, max_length=2000)
    anticoagulant: bool | None = None
    antiplatelet: bool | None = None
    ct_findings: str | None = Field(None, max_length=4000)
    intracranial_bleed: Literal["yes", "no", "unknown"] | None = None
    shunt_history: Literal["none", "shunt", "revised", "etv", ""] | None = None
    shunt_details: str | None = Field(None, max_length=2000)
    question: str | None = Field(None, max_length=2000)


class CaseCreateIn(Schema):
    category: str = Field(..., description="Diagnosis category code, e.g. trauma, hydrocephalus")
    institution: str | None = Field(
        None, description="Short code; defaults to your first referring institution"
    )
    clinical: ClinicalIn
    identity: IdentityIn


class CaseUpdateIn(Schema):
    category: str | None = None
    clinical: ClinicalIn | None = None
    identity: IdentityIn | None = None


class ConsentIn(Schema):
    given_by: Literal["patient", "relative", "guardian"]
    relationship: str = Field("", max_length=100)
    method: Literal["verbal", "written", "thumbprint"]
    countries: list[str] = Field(
        ..., min_length=1, description="ISO codes of countries where the case may be seen"
    )


class FindingOut(Schema):
    key: str
    field: str
    kind: str
    text: str


class KeysIn(Schema):
    keys: list[str]


class AssignmentOut(Schema):
    consultant_id: int
    consultant_name: str
    via: str
    assigned_at: datetime
    acknowledged_at: datetime | None
    ended_at: datetime | None


class OpinionIn(Schema):
    impression: str = Field(..., min_length=1, max_length=4000)
    recommendation: Literal["operate_locally", "transfer", "conservative", "investigate"]
    procedure: str = Field("", max_length=300)
    timing: Literal["immediately", "within_24h", "within_week", "elective", ""] = ""
    transfer_to: str = Field("", max_length=200)
    investigations: str = Field("", max_length=2000)
    advice: str = Field("", max_length=6000)
    confidence: Literal["high", "moderate", "low"]


class OpinionOut(OpinionIn):
    id: int
    consultant_id: int
    consultant_name: str
    created_at: datetime


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=4000)
    confirm_identifiers: bool = Field(
        False,
        description="Send even though the text was flagged as possibly identifying (after a 400 'identifiers')",
    )


class MessageOut(Schema):
    id: int
    author_id: int
    author_name: str
    body: str
    created_at: datetime


class OutcomeIn(Schema):
    management: Literal["operated_locally", "transferred", "conservative", "died_before_treatment", "left"]
    operated_by: Literal[
        "local_surgeon", "local_with_visitor", "visiting_surgeon", "receiving_hospital", ""
    ] = ""
    operation: str = Field("", max_length=300)
    operation_date: date | None = None
    complications: str = Field("", max_length=2000)
    discharge_status: Literal["home", "transferred", "died", "still_admitted"]
    gose_discharge: int | None = Field(None, ge=1, le=8)
    gose_6_months: int | None = Field(None, ge=1, le=8)


class OutcomeOut(OutcomeIn):
    days_from_referral_to_operation: int | None = None


class CaseSummaryOut(Schema):
    """Filled from each case of the page the paginator slices (never from the whole list)."""

    code: str
    status: str
    urgency: str
    category: str
    referring_institution: str
    submitted_at: datetime | None
    deadline: datetime | None
    overdue: bool
    consultants: list[str]

    @staticmethod
    def resolve_category(case: Case) -> str:
        return case.category.code

    @staticmethod
    def resolve_referring_institution(case: Case) -> str:
        return case.referring_institution.short_code

    @staticmethod
    def resolve_overdue(case: Case) -> bool:
        return case.is_overdue()

    @staticmethod
    def resolve_consultants(case: Case) -> list[str]:
        return [a.consultant.full_name for a in getattr(case, "active_assignments", [])]


class CaseOut(Schema):
    code: str
    status: str
    urgency: str
    category: str
    referring_institution: str
    submitted_at: datetime | None
    deadline: datetime | None
    clinical: dict[str, Any]
    hours_from_injury_to_referral: float | None
    gcs_total: int | None
    red_flags: list[str]
    identity: dict[str, Any] | None = Field(None, description="Only for the referring hospital's team")
    consent_countries: list[str]
    assignments: list[AssignmentOut]
    opinions: list[OpinionOut]
    outcome: OutcomeOut | None
    missing_for_submission: list[dict[str, str]]


class AssignIn(Schema):
    consultant_id: int


class AssignCaseIn(Schema):
    case: str = Field(..., max_length=12, description="Case code")


class CloseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class ShiftIn(Schema):
    starts_at: datetime
    ends_at: datetime


class ShiftOut(ShiftIn):
    id: int


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    created_at: datetime
    read: bool


# --- helpers ---------------------------------------------------------------------------------
def _idempotency_key(request: HttpRequest) -> str | None:
    """An `Idempotency-Key` header: the same request retried after a dropped connection is
    answered with what the first one created."""
    key = request.headers.get("Idempotency-Key", "").strip().lower().replace("-", "")
    return key if len(key) == 32 and all(c in "0123456789abcdef" for c in key) else None


def _access(request: HttpRequest, code: str) -> tuple[User, CaseAccess]:
    user = api_user(request)
    return user, get_case_for_user(user, code)


def _category(code: str) -> DiagnosisCategory:
    category = DiagnosisCategory.objects.select_related("specialty").filter(code=code).first()
    if category is None:
        raise Http404
    return category


def _case_out(access: CaseAccess) -> CaseOut:
    case = Case.objects.select_related("category", "referring_institution").get(pk=access.case.pk)
    clinical = {field: getattr(case, field) for field in actions.CLINICAL_FIELDS if field != "injury_at"}
    if access.sees_identity:
        clinical["injury_at"] = case.injury_at
    person = case.identity
    outcome = Outcome.objects.filter(case=case).first()
    consent = Consent.objects.filter(case=case).first()
    return CaseOut(
        code=case.code,
        status=case.status,
        urgency=case.urgency,
        category=case.category.code,
        referring_institution=case.referring_institution.short_code,
        submitted_at=case.submitted_at,
        deadline=case.deadline,
        clinical=clinical,
        hours_from_injury_to_referral=case.hours_from_injury_to_referral(),
        gcs_total=case.gcs_total,
        red_flags=actions.triage(case),
        identity={field: getattr(person, field) for field in actions.IDENTITY_FIELDS}
        if access.sees_identity
        else None,
        consent_countries=sorted(consent.countries.values_list("code", flat=True)) if consent else [],
        assignments=[
            AssignmentOut(
                consultant_id=a.consultant_id,
                consultant_name=a.consultant.full_name,
                via=a.via,
                assigned_at=a.assigned_at,
                acknowledged_at=a.acknowledged_at,
                ended_at=a.ended_at,
            )
            for a in case.assignments.select_related("consultant")
        ],
        opinions=[_opinion_out(o) for o in case.opinions.select_related("consultant")],
        outcome=_outcome_out(case, outcome, access) if outcome else None,
        missing_for_submission=[{"field": f, "message": m} for f, m in actions.missing_for_submission(case)]
        if case.status == "draft" and access.in_referring_team
        else [],
    )


def _opinion_out(opinion: Any) -> OpinionOut:
    return OpinionOut(
        id=opinion.pk,
        consultant_id=opinion.consultant_id,
        consultant_name=opinion.consultant.full_name,
        created_at=opinion.created_at,
        **{f: getattr(opinion, f) for f in OpinionIn.model_fields},
    )


def _outcome_out(case: Case, outcome: Outcome, access: CaseAccess) -> OutcomeOut:
    data = {f: getattr(outcome, f) for f in OutcomeIn.model_fields}
    days = None
    if outcome.operation_date and case.submitted_at:
        days = (outcome.operation_date - case.submitted_at.date()).days
    if not access.sees_identity:
        data["operation_date"] = None  # an exact date; others see the interval
    return OutcomeOut(days_from_referral_to_operation=days, **data)


def _record_view(request: HttpRequest, user: User, access: CaseAccess) -> None:
    record(
        acts.IDENTITY_VIEWED if access.sees_identity else acts.CASE_VIEWED,
        actor=user,
        target=access.case,
        institution=access.case.referring_institution,
        request=request,
        detail={"via": "api"},
    )


# --- cases ---------------------------------------------------------------------------------
@router.get("/cases", response=list[CaseSummaryOut], summary="Consultations you can see")
@paginate(PageNumberPagination, page_size=30)
def list_cases(
    request: HttpRequest,
    box: Literal["ours", "awaiting", "answered", "overdue", "outcome", "all"] = "all",
    status: str | None = None,
    urgency: str | None = None,
    category: str | None = None,
    q: str | None = None,
) -> Any:
    user = api_user(request)
    cases = _box(user, box if box in BOXES else "all", cases_visible_to(user))
    if status:
        cases = cases.filter(status=status)
    if urgency:
        cases = cases.filter(urgency=urgency)
    if category:
        cases = cases.filter(category__code=category)
    if q:
        cases = cases.filter(code__icontains=q.strip().upper())
    return _with_list_columns(cases).order_by("-submitted_at", "-created_at")


@router.post("/cases", response={201: CaseOut}, summary="Draft a consultation")
def create_case(request: HttpRequest, payload: CaseCreateIn) -> Status[CaseOut]:
    user = api_user(request)
    institutions = user.institutions_with_role(Role.REFERRER)
    if payload.institution:
        institutions = [i for i in institutions if i.short_code == payload.institution]
    if not institutions:
        raise PermissionDenied
    case = actions.create_draft(
        user,
        institution=institutions[0],
        category=_category(payload.category),
        clinical=payload.clinical.dict(exclude_none=True),
        identity=payload.identity.dict(),
        client_token=_idempotency_key(request),
        request=request,
    )
    return Status(201, _case_out(get_case_for_user(user, case.code)))


@router.get(
    "/cases/{code}", response=CaseOut, summary="One consultation (identity for the referring team only)"
)
def read_case(request: HttpRequest, code: str) -> CaseOut:
    user, access = _access(request, code)
    _record_view(request, user, access)
    return _case_out(access)


@router.patch("/cases/{code}", response=CaseOut, summary="Change a draft")
def update_case(request: HttpRequest, code: str, payload: CaseUpdateIn) -> CaseOut:
    user, access = _access(request, code)
    actions.update_draft(
        access,
        user,
        category=_category(payload.category) if payload.category else None,
        clinical=payload.clinical.dict(exclude_unset=True) if payload.clinical else {},
        identity=payload.identity.dict(exclude_unset=True) if payload.identity else {},
        request=request,
    )
    return _case_out(get_case_for_user(user, code))


@router.put("/cases/{code}/consent", response=CaseOut, summary="Record the patient's consent")
def put_consent(request: HttpRequest, code: str, payload: ConsentIn) -> CaseOut:
    user, access = _access(request, code)
    wanted = {c.upper() for c in payload.countries}
    countries = list(Country.objects.filter(code__in=wanted))
    unknown = wanted - {country.code for country in countries}
    if unknown:
        raise DjangoValidationError(
            {"countries": [_("Unknown country code: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}]}
        )
    actions.record_consent(
        access,
        user,
        given_by=payload.given_by,
        relationship=payload.relationship,
        method=payload.method,
        countries=countries,
        request=request,
    )
    return _case_out(get_case_for_user(user, code))


@router.get(
    "/cases/{code}/identifiers", response=list[FindingOut], summary="Possible identifiers in the text"
)
def list_identifiers(request: HttpRequest, code: str) -> list[FindingOut]:
    user, access = _access(request, code)
    if not access.in_referring_team:
        raise PermissionDenied
    confirmed = set(access.case.confirmed_identifier_keys)
    return [
        FindingOut(key=f.key, field=f.field, kind=str(f.kind), text=f.text)
        for f in actions.identifier_findings(access.case)
        if f.key not in confirmed
    ]


@router.post("/cases/{code}/identifiers/confirm", response=list[FindingOut], summary="Keep these findings")
def confirm_identifiers(request: HttpRequest, code: str, payload: KeysIn) -> list[FindingOut]:
    user, access = _access(request, code)
    actions.confirm_identifiers(access, user, payload.keys, request=request)
    return list_identifiers(request, code)


@router.post("/cases/{code}/submit", response=CaseOut, summary="Send the consultation")
def submit_case(request: HttpRequest, code: str) -> CaseOut:
    user, access = _access(request, code)
    actions.submit(access, user, request=request)
    return _case_out(get_case_for_user(user, code))


@router.post("/cases/{code}/acknowledge", response=CaseOut, summary="Tell the referrer you are reviewing")
def acknowledge_case(request: HttpRequest, code: str) -> CaseOut:
    user, access = _access(request, code)
    actions.acknowledge(access, user, request=request)
    return _case_out(get_case_for_user(user, code))


@router.post("/cases/{code}/opinions", response={201: OpinionOut}, summary="Give your opinion")
def post_opinion(request: HttpRequest, code: str, payload: OpinionIn) -> Status[OpinionOut]:
    user, access = _access(request, code)
    opinion = actions.give_opinion(
        access, user, payload.dict(), client_token=_idempotency_key(request), request=request
    )
    return Status(201, _opinion_out(opinion))


@router.get("/cases/{code}/messages", response=list[MessageOut], summary="The discussion")
def list_messages(request: HttpRequest, code: str) -> list[MessageOut]:
    user, access = _access(request, code)
    _record_view(request, user, access)
    return [
        MessageOut(
            id=m.pk,
            author_id=m.author_id,
            author_name=m.author.full_name,
            body=m.body,
            created_at=m.created_at,
        )
        for m in access.case.messages.select_related("author")
    ]


@router.post("/cases/{code}/messages", response={201: MessageOut}, summary="Write in the discussion")
def post_message(request: HttpRequest, code: str, payload: MessageIn) -> Status[MessageOut]:
    user, access = _access(request, code)
    message = actions.post_message(
        access,
        user,
        payload.body,
        client_token=_idempotency_key(request),
        confirmed_identifiers=payload.confirm_identifiers,
        request=request,
    )
    return Status(
        201,
        MessageOut(
            id=message.pk,
            author_id=user.pk,
            author_name=user.full_name,
            body=message.body,
            created_at=message.created_at,
        ),
    )


@router.put("/cases/{code}/outcome", response=CaseOut, summary="Record what happened to the patient")
def put_outcome(request: HttpRequest, code: str, payload: OutcomeIn) -> CaseOut:
    user, access = _access(request, code)
    actions.record_outcome(access, user, payload.dict(), request=request)
    return _case_out(get_case_for_user(user, code))


@router.post("/cases/{code}/assign", response=CaseOut, summary="Coordinators: ask a consultant")
def assign_case(request: HttpRequest, code: str, payload: AssignIn) -> CaseOut:
    user, access = _access(request, code)
    if not access.coordinates_referrer:
        raise PermissionDenied
    # Same answer whether the id is unknown or only not eligible: ids are not to be probed.
    eligible = {c.pk: c for c in actions.assignable_consultants(access.case)}
    if payload.consultant_id not in eligible:
        raise ActionError(
            _(
                "This person cannot answer this case (not a consultant, or outside the countries in the consent)."
            ),
            code="not_eligible",
        )
    actions.assign_by_hand(access, user, eligible[payload.consultant_id], request=request)
    return _case_out(get_case_for_user(user, code))


@router.post("/cases/{code}/close", response=CaseOut, summary="Coordinators: close without an outcome")
def close_case(request: HttpRequest, code: str, payload: CloseIn) -> CaseOut:
    user, access = _access(request, code)
    actions.close_without_outcome(access, user, payload.reason, request=request)
    return _case_out(get_case_for_user(user, code))


# --- files and exports ---------------------------------------------------------------------
class AttachmentOut(Schema):
    id: int
    kind: str
    description: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


def _attachment_out(item: Any) -> AttachmentOut:
    return AttachmentOut(
        id=item.pk,
        kind=item.kind,
        description=item.description,
        content_type=item.content_type,
        size=item.size,
        sha256=item.sha256,
        uploaded_at=item.uploaded_at,
    )


@router.get("/cases/{code}/attachments", response=list[AttachmentOut], summary="Documents and photos")
def list_attachments(request: HttpRequest, code: str) -> list[AttachmentOut]:
    user, access = _access(request, code)
    _record_view(request, user, access)
    return [_attachment_out(item) for item in access.case.attachments.all()]


@router.post("/cases/{code}/attachments", response={201: AttachmentOut}, summary="Attach a PDF or a photo")
def add_attachment(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    description: Form[str],
    checked: Form[bool],
) -> Status[AttachmentOut]:
    """`checked` must be true: the sender confirms no patient name or number is visible in the file."""
    user, access = _access(request, code)
    if not checked:
        raise DjangoValidationError(
            {"checked": [_("Confirm that no patient name or hospital number is visible in the file.")]}
        )
    limit = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    if file.size and file.size > limit:
        raise ActionError(
            actions.ATTACHMENT_PROBLEMS[files.Problem.TOO_LARGE] % {"mb": settings.ATTACHMENT_MAX_MB},
            code="too_large",
        )
    item = actions.add_attachment(
        access, user, name=file.name or "", content=file.read(), description=description, request=request
    )
    return Status(201, _attachment_out(item))


@router.get("/cases/{code}/attachments/{attachment_id}", summary="Download a document or photo")
def download_attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    from consultations.views.cases import attachment

    return attachment(request, code, attachment_id)


@router.get("/cases/{code}/fhir", summary="The consultation as a FHIR R4 Bundle (pseudonymous Patient)")
def fhir_bundle(request: HttpRequest, code: str) -> HttpResponse:
    user, access = _access(request, code)
    return JsonResponse(
        exports.export_fhir(access, user, request=request), content_type="application/fhir+json"
    )


@router.get("/cases/{code}/letter", summary="The advice letter as a PDF")
def advice_letter(
    request: HttpRequest,
    code: str,
    lang: Literal["en", "sw", "zh-hans"] | None = None,
    identity: bool = False,
) -> HttpResponse:
    user, access = _access(request, code)
    pdf = exports.export_letter(
        access, user, language=lang or user.preferred_language, with_identity=identity, request=request
    )
    return HttpResponse(pdf, content_type="application/pdf")


# --- case conferences ----------------------------------------------------------------------
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


def _conference_out(conference: Any, user: User) -> ConferenceOut:
    visible = set(
        cases_visible_to(user).filter(pk__in=conference.items.values("case_id")).values_list("pk", flat=True)
    )
    return ConferenceOut(
        id=conference.pk,
        title=conference.title,
        starts_at=conference.starts_at,
        duration_minutes=conference.duration_minutes,
        video_link=conference.video_link,
        institution=conference.institution.short_code,
        # Summaries only of cases the reader may open: a conference is not a way around a case's access.
        cases=[
            ConferenceItemOut(id=i.pk, case=i.case.code, summary=i.summary if i.case_id in visible else "")
            for i in conference.items.select_related("case")
        ],
        participants=[
            ParticipantOut(person_id=p.person_id, name=p.person.full_name, attended=p.attended)
            for p in conference.participants.select_related("person")
        ],
    )


def _organised(request: HttpRequest, conference_id: int) -> tuple[User, Any]:
    user = api_user(request)
    conference, organises = conferences.get_conference(user, conference_id)
    if not organises:
        raise PermissionDenied
    return user, conference


@router.get("/conferences", response=list[ConferenceOut], tags=["conferences"])
def list_conferences(request: HttpRequest) -> list[ConferenceOut]:
    items = (
        conferences.conferences_for(api_user(request))
        .select_related("institution")
        .order_by("-starts_at")[:100]
    )
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
    conference, _organises = conferences.get_conference(user, conference_id)
    conferences.record_view(user, conference, request=request)
    return _conference_out(conference, user)


@router.post("/conferences/{conference_id}/cases", response=ConferenceOut, tags=["conferences"])
def add_conference_case(request: HttpRequest, conference_id: int, payload: AssignCaseIn) -> ConferenceOut:
    user, conference = _organised(request, conference_id)
    case = conferences.eligible_cases(user).filter(code=payload.case.upper()).first()
    if case is None:
        raise Http404
    conferences.add_case(user, conference, case, request=request)
    return _conference_out(conference, user)


@router.post("/conferences/{conference_id}/participants", response=ConferenceOut, tags=["conferences"])
def invite_to_conference(request: HttpRequest, conference_id: int, payload: PeopleIn) -> ConferenceOut:
    user, conference = _organised(request, conference_id)
    people = list(User.objects.filter(pk__in=payload.people, is_active=True))
    if len(people) != len(set(payload.people)):
        raise Http404
    conferences.invite(user, conference, people, request=request)
    return _conference_out(conference, user)


@router.put("/conferences/{conference_id}/attendance", response=ConferenceOut, tags=["conferences"])
def conference_attendance(request: HttpRequest, conference_id: int, payload: PeopleIn) -> ConferenceOut:
    user, conference = _organised(request, conference_id)
    conferences.record_attendance(user, conference, payload.people, request=request)
    return _conference_out(conference, user)


@router.put(
    "/conferences/{conference_id}/cases/{item_id}/summary", response=ConferenceOut, tags=["conferences"]
)
def conference_summary(
    request: HttpRequest, conference_id: int, item_id: int, payload: SummaryIn
) -> ConferenceOut:
    user, conference = _organised(request, conference_id)
    item = conference.items.select_related("case").filter(pk=item_id).first()
    if item is None:
        raise Http404
    conferences.summarise(user, item, payload.summary, request=request)
    return _conference_out(conference, user)


# --- on call and notifications -------------------------------------------------------------
@router.get("/on-call/shifts", response=list[ShiftOut], tags=["on call"], summary="Your coming shifts")
def list_shifts(request: HttpRequest) -> list[ShiftOut]:
    user = api_user(request)
    return [
        ShiftOut(id=s.pk, starts_at=s.starts_at, ends_at=s.ends_at)
        for s in roster.upcoming_shifts(user, timezone.now())
    ]


@router.post("/on-call/shifts", response={201: ShiftOut}, tags=["on call"], summary="Add a shift")
def add_shift(request: HttpRequest, payload: ShiftIn) -> Status[ShiftOut]:
    shift = roster.add_shift(api_user(request), payload.starts_at, payload.ends_at, request=request)
    return Status(201, ShiftOut(id=shift.pk, starts_at=shift.starts_at, ends_at=shift.ends_at))


@router.delete("/on-call/shifts/{shift_id}", response={204: None}, tags=["on call"], summary="Remove a shift")
def delete_shift(request: HttpRequest, shift_id: int) -> Status[None]:
    user = api_user(request)
    roster.remove_shift(user, roster.get_own_shift(user, shift_id), request=request)
    return Status(204, None)


@router.get("/notifications", response=list[NotificationOut], tags=["notifications"])
@paginate(PageNumberPagination, page_size=50)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    items = Notification.objects.filter(recipient_id=api_user(request).pk)
    if unread:
        items = items.filter(read_at__isnull=True)
    return [
        NotificationOut(
            id=n.pk, kind=n.kind, text=n.text, url=n.url, created_at=n.created_at, read=n.read_at is not None
        )
        for n in items.order_by("-created_at")
    ]


@router.post("/notifications/read", response={204: None}, tags=["notifications"], summary="Mark all as read")
def read_notifications(request: HttpRequest) -> Status[None]:
    Notification.objects.filter(recipient_id=api_user(request).pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return Status(204, None)
