"""JSON API of the logbook: one's own entries (list, create, duplicate), the supervisor's queue
and decision, and the procedure master list."""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from datetime import date
from typing import Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api_auth import api_user
from accounts.models import Institution, User
from consultations.api.common import idempotency_key
from core.errors import FieldErrors
from training import access, actions, exports
from training.codes import Supervision
from training.models import (
    AgeBand,
    Competency,
    LogbookEntry,
    Procedure,
    ProcedureGroup,
    Programme,
    Sex,
    Stage,
    Urgency,
)
from training.progress import Quarter, progress_of, side_by_side

router = Router(tags=["training"])

SupervisionCode = Literal["O", "A", "S-TS", "S-TU", "P", "T"]
ENTRY_RELATED = ("institution", "supervisor", "trainee")


class ProcedureOut(Schema):
    code: str
    name: str
    group: str
    paediatric_bellwether: bool
    icd10pcs: str = Field(description="Empty where the standard code is not known for sure.")
    icd9cm3: str = Field(description="China's ICD-9-CM-3 operation code; empty where not known for sure.")


class EntryIn(Schema):
    enrolment: int
    performed_on: date
    institution: str = Field(description="The hospital's short code (MOI).")
    urgency: Literal["elective", "urgent", "emergency"]
    age_band: Literal["0-1", "1-15", "16-39", "40-64", "65+"]
    sex: Literal["female", "male"]
    diagnosis: str = Field(min_length=1, max_length=200)
    procedures: list[str] = Field(description="Local procedure codes (GET /training/procedures).")
    supervision: SupervisionCode
    supervisor: int = Field(description="The supervising surgeon's person id: one of the named supervisors.")
    return_to_theatre: bool = False
    infection: bool = False
    death: bool = False
    complications: str = ""
    reflection: str = ""
    case_code: str = ""


class DuplicateIn(Schema):
    performed_on: date | None = None


class DecisionIn(Schema):
    decision: Literal["confirm", "query", "reject"]
    comment: str = ""
    revision: int | None = Field(
        None,
        description="The entry's revision as read (GET gives it): a decision on an entry the trainee "
        "corrected since is refused with 409 `changed`.",
    )


class EntryOut(Schema):
    id: int
    trainee: str
    performed_on: date
    institution: str
    urgency: str
    age_band: str
    sex: str
    diagnosis: str
    procedures: list[str]
    supervision: str
    supervisor: str
    return_to_theatre: bool
    infection: bool
    death: bool
    complications: str
    reflection: str
    case_code: str
    status: str
    revision: int = Field(description="Raised by each correction of the trainee.")
    validated_at: str | None
    time_to_validation_hours: float | None


def entry_out(entry: LogbookEntry) -> EntryOut:
    spent = entry.time_to_validation
    return EntryOut(
        id=entry.pk,
        trainee=entry.trainee.full_name,
        performed_on=entry.performed_on,
        institution=entry.institution.short_code,
        urgency=entry.urgency,
        age_band=entry.age_band,
        sex=entry.sex,
        diagnosis=entry.diagnosis,
        procedures=[p.code for p in entry.procedures.all()],
        supervision=entry.supervision,
        supervisor=entry.supervisor.full_name,
        return_to_theatre=entry.return_to_theatre,
        infection=entry.infection,
        death=entry.death,
        complications=entry.complications,
        reflection=entry.reflection,
        case_code=entry.case_code,
        status=entry.status,
        revision=entry.revision,
        validated_at=entry.validated_at.isoformat() if entry.validated_at else None,
        time_to_validation_hours=round(spent.total_seconds() / 3600, 1) if spent is not None else None,
    )


def _entries(queryset: "object") -> list[EntryOut]:
    rows = queryset.select_related(*ENTRY_RELATED).prefetch_related("procedures")  # type: ignore[attr-defined]
    return [entry_out(entry) for entry in rows]


@router.get("/training/procedures", response=list[ProcedureOut], summary="The procedure master list")
def procedures(request: HttpRequest) -> list[ProcedureOut]:
    return [
        ProcedureOut(
            code=p.code,
            name=p.name,
            group=p.group.code,
            paediatric_bellwether=p.paediatric_bellwether,
            icd10pcs=p.icd10pcs,
            icd9cm3=p.icd9cm3,
        )
        for p in Procedure.objects.filter(is_active=True).select_related("group")
    ]


@router.get("/training/entries", response=list[EntryOut], summary="My logbook entries, latest first")
def my_entries(request: HttpRequest) -> list[EntryOut]:
    user = api_user(request)
    access.require_training_role(user)
    return _entries(LogbookEntry.objects.filter(trainee=user)[:200])


def _data(user: User, payload: EntryIn) -> actions.EntryData:
    enrolment = access.own_enrolments(user).filter(pk=payload.enrolment).first()
    if enrolment is None:
        raise FieldErrors(
            [
                {
                    "field": "enrolment",
                    "message": _("You are not enrolled in this programme."),
                    "type": "invalid",
                }
            ]
        )
    errors = []
    institution = Institution.objects.filter(short_code=payload.institution.upper(), is_active=True).first()
    if institution is None:
        errors.append(
            {"field": "institution", "message": _("No hospital with this code."), "type": "invalid"}
        )
    found = list(Procedure.objects.filter(code__in=payload.procedures, is_active=True))
    if len(found) != len(set(payload.procedures)):
        errors.append({"field": "procedures", "message": _("Unknown procedure code."), "type": "invalid"})
    supervisor = User.objects.filter(pk=payload.supervisor, is_active=True).first()
    if supervisor is None:
        errors.append(
            {"field": "supervisor", "message": _("Choose one of your named supervisors."), "type": "invalid"}
        )
    if errors or institution is None or supervisor is None:
        raise FieldErrors(errors)
    fields = payload.dict(exclude={"enrolment", "institution", "procedures", "supervisor"})
    return actions.EntryData(
        enrolment=enrolment, institution=institution, procedures=found, supervisor=supervisor, **fields
    )


@router.post(
    "/training/entries",
    response={201: EntryOut},
    summary="Log an operation",
    description=(
        "Send an `Idempotency-Key` header (a UUID made when the entry was written, e.g. on a phone "
        "with no connection): the same key sent again returns the entry the first request made, "
        "so an entry retried after a dropped link is recorded once."
    ),
)
def create_entry(request: HttpRequest, payload: EntryIn) -> Status[EntryOut]:
    user = api_user(request)
    access.require_training_role(user)
    key = idempotency_key(request)
    entry = actions.log_entry(
        user, _data(user, payload), client_key=UUID(hex=key) if key else None, request=request
    )
    return Status(201, _entries(LogbookEntry.objects.filter(pk=entry.pk))[0])


@router.post(
    "/training/entries/{entry_id}/duplicate",
    response={201: EntryOut},
    summary="Log the same operation again (today unless a date is given)",
)
def duplicate(request: HttpRequest, entry_id: int, payload: DuplicateIn) -> Status[EntryOut]:
    user = api_user(request)
    entry = access.get_own_entry(user, entry_id)
    copy = actions.duplicate_entry(user, entry, payload.performed_on, request=request)
    return Status(201, _entries(LogbookEntry.objects.filter(pk=copy.pk))[0])


class CorrectionIn(EntryIn):
    note: str = Field("", description="What was corrected, for the supervisor (optional).")


@router.put(
    "/training/entries/{int:entry_id}",
    response=EntryOut,
    summary="Correct my entry while it waits for validation or after a query",
    description=(
        "The whole entry as it should now read. What it said before is kept and shown to the "
        "supervisor; a queried entry goes back to the supervisor's queue. 409 once decided."
    ),
)
def correct(request: HttpRequest, entry_id: int, payload: CorrectionIn) -> EntryOut:
    user = api_user(request)
    entry = access.get_own_entry(user, entry_id)
    fields = EntryIn(**payload.dict(exclude={"note"}))
    corrected = actions.correct_entry(user, entry, _data(user, fields), payload.note, request=request)
    return _entries(LogbookEntry.objects.filter(pk=corrected.pk))[0]


@router.get("/training/queue", response=list[EntryOut], summary="Supervisors: entries waiting for me")
def queue(request: HttpRequest) -> list[EntryOut]:
    user = api_user(request)
    access.require_training_role(user)
    return _entries(access.queue_of(user).order_by("created_at")[:200])


@router.post(
    "/training/entries/{entry_id}/validation",
    response=EntryOut,
    summary="Supervisors: confirm, query (with a comment) or reject (with a comment)",
)
def validation(request: HttpRequest, entry_id: int, payload: DecisionIn) -> EntryOut:
    user = api_user(request)
    entry = access.get_entry_to_validate(user, entry_id)
    decided = actions.validate_entry(
        user, entry, payload.decision, payload.comment, seen_revision=payload.revision, request=request
    )
    return _entries(LogbookEntry.objects.filter(pk=decided.pk))[0]


class TallyOut(Schema):
    validated: int
    total: int = Field(description="All logged, rejected entries left out.")


class RequirementOut(Schema):
    level: SupervisionCode = Field(description="Counts this level and the more independent ones.")
    minimum: int
    validated: int
    total: int
    met: bool = Field(description="Met by validated entries alone.")


class QuarterOut(Schema):
    quarter: date = Field(description="The first day of the quarter.")
    label: str
    independent: TallyOut = Field(description="Entries at P or T.")
    all: TallyOut
    share: int | None = Field(
        description="Percentage of the quarter's entries at P or T; null if none logged."
    )
    share_validated: int | None = Field(description="The same among validated entries only.")


class GroupProgressOut(Schema):
    group: str
    name: str
    by_code: dict[str, TallyOut]
    requirements: list[RequirementOut]
    autonomy: list[QuarterOut]


class ProgressOut(Schema):
    enrolment: int
    trainee: str
    programme: str
    stage: str
    overall: TallyOut
    autonomy: list[QuarterOut] = Field(description="All groups, each entry once; the last 12 quarters.")
    groups: list[GroupProgressOut]


def _quarters(quarters: list[Quarter]) -> list[QuarterOut]:
    return [
        QuarterOut(
            quarter=q.starts,
            label=q.label,
            independent=TallyOut(validated=q.independent.validated, total=q.independent.total),
            all=TallyOut(validated=q.total.validated, total=q.total.total),
            share=q.share,
            share_validated=q.share_validated,
        )
        for q in quarters
    ]


@router.get(
    "/training/enrolments/{enrolment_id}/progress",
    response=ProgressOut,
    summary="A trainee's counts against the requirements and the autonomy curve (share of P and T by quarter)",
)
def progress(request: HttpRequest, enrolment_id: int) -> ProgressOut:
    enrolment = access.get_enrolment(api_user(request), enrolment_id)
    found = progress_of(enrolment)
    overall = found["overall"]
    return ProgressOut(
        enrolment=enrolment.pk,
        trainee=enrolment.trainee.full_name,
        programme=enrolment.programme.name,
        stage=enrolment.stage.name,
        overall=TallyOut(validated=overall.validated, total=overall.total),
        autonomy=_quarters(found["quarters"]),
        groups=[
            GroupProgressOut(
                group=row.group.code,
                name=row.group.name,
                by_code={code: TallyOut(validated=t.validated, total=t.total) for code, t in row.by_code},
                requirements=[
                    RequirementOut(
                        level=r.level,
                        minimum=r.minimum,
                        validated=r.tally.validated,
                        total=r.tally.total,
                        met=r.met,
                    )
                    for r in row.requirements
                ],
                autonomy=_quarters(row.quarters),
            )
            for row in found["groups"]
        ],
    )


class TraineeRowOut(Schema):
    enrolment: int
    trainee: str
    stage: str
    home_institution: str
    requirements_met: int = Field(description="Requirements met by validated entries alone.")
    requirements: int
    overall: TallyOut
    independent_last_12_months: TallyOut = Field(description="Entries at P or T in the last 12 months.")
    last_12_months: TallyOut
    share_last_12_months: int | None = Field(description="Percentage at P or T; null if none logged.")
    waiting: int = Field(description="Entries waiting for the supervisor's decision or the trainee's answer.")


@router.get(
    "/training/programmes/{programme_id}/trainees",
    response=list[TraineeRowOut],
    summary="Programme directors: the programme's trainees side by side",
)
def programme_trainees(request: HttpRequest, programme_id: int) -> list[TraineeRowOut]:
    user = api_user(request)
    programme = access.get_programme_to_direct(user, programme_id)
    return [
        TraineeRowOut(
            enrolment=row.enrolment.pk,
            trainee=row.enrolment.trainee.full_name,
            stage=row.enrolment.stage.name,
            home_institution=row.enrolment.institution.short_code,
            requirements_met=row.requirements_met,
            requirements=row.requirements,
            overall=TallyOut(validated=row.overall.validated, total=row.overall.total),
            independent_last_12_months=TallyOut(
                validated=row.independent_recent.validated, total=row.independent_recent.total
            ),
            last_12_months=TallyOut(validated=row.recent.validated, total=row.recent.total),
            share_last_12_months=row.share_recent,
            waiting=row.waiting,
        )
        for row in side_by_side(programme, actions.local_today(user))
    ]


@router.post(
    "/training/entries/{entry_id}/recognition",
    response=EntryOut,
    summary="Home programme coordinators: recognise an entry validated abroad by the host supervisor",
)
def recognition(request: HttpRequest, entry_id: int) -> EntryOut:
    user = api_user(request)
    entry = access.get_entry_to_recognise(user, entry_id)
    recognised = actions.recognise_entry(user, entry, request=request)
    return _entries(LogbookEntry.objects.filter(pk=recognised.pk))[0]


@router.get(
    "/training/entries/export",
    summary="My whole logbook as CSV or PDF, labelled in my language",
    description="`format=csv` (UTF-8 with a byte-order mark) or `format=pdf` (Chinese text rendered).",
)
def export(request: HttpRequest, format: Literal["csv", "pdf"] = "csv") -> HttpResponse:  # noqa: A002
    user = api_user(request)
    access.require_training_role(user)
    if format == "pdf":
        return HttpResponse(exports.logbook_pdf_bytes(user, request=request), content_type="application/pdf")
    return HttpResponse(exports.logbook_csv(user, request=request), content_type="text/csv; charset=utf-8")


# --- The curriculum (coordinators of the programme's institution) -------------------------------
class NamesIn(Schema):
    name_en: str = Field(min_length=1, max_length=200)
    name_sw: str = Field(min_length=1, max_length=200)
    name_zh_hans: str = Field(min_length=1, max_length=200)


class StageIn(NamesIn):
    position: int = Field(0, ge=0, le=100)
    allowed_codes: list[SupervisionCode] = Field(min_length=1)


class CompetencyIn(NamesIn):
    code: str = Field(pattern=r"^[-a-z0-9_]{1,40}$")
    stage: int | None = Field(None, description="A stage of this programme, or none.")
    level_expected: int = Field(4, ge=1, le=5)


class RequirementIn(Schema):
    group: str = Field(description="The procedure group's code.")
    level: SupervisionCode
    minimum: int = Field(ge=0, le=5000, description="0 removes the requirement.")


class StageOut(Schema):
    id: int
    name_en: str
    name_sw: str
    name_zh_hans: str
    position: int
    allowed_codes: list[str]


class CompetencyOut(Schema):
    id: int
    code: str
    name_en: str
    name_sw: str
    name_zh_hans: str
    stage: int | None
    level_expected: int


class CurriculumOut(Schema):
    id: int
    code: str
    name_en: str
    name_sw: str
    name_zh_hans: str
    stages: list[StageOut]
    competencies: list[CompetencyOut]
    requirements: list[RequirementIn]


def _stage_out(stage: Stage) -> StageOut:
    return StageOut(
        id=stage.pk,
        name_en=stage.name_en,
        name_sw=stage.name_sw,
        name_zh_hans=stage.name_zh_hans,
        position=stage.position,
        allowed_codes=stage.allowed_codes,
    )


def _competency_out(c: Competency) -> CompetencyOut:
    return CompetencyOut(
        id=c.pk,
        code=c.code,
        name_en=c.name_en,
        name_sw=c.name_sw,
        name_zh_hans=c.name_zh_hans,
        stage=c.stage_id,
        level_expected=c.level_expected,
    )


@router.get(
    "/training/programmes/{programme_id}/curriculum",
    response=CurriculumOut,
    summary="Coordinators: a programme's stages, competencies and requirements, in three languages",
)
def curriculum(request: HttpRequest, programme_id: int) -> CurriculumOut:
    programme = access.get_programme_to_edit(api_user(request), programme_id)
    return CurriculumOut(
        id=programme.pk,
        code=programme.code,
        name_en=programme.name_en,
        name_sw=programme.name_sw,
        name_zh_hans=programme.name_zh_hans,
        stages=[_stage_out(s) for s in programme.stages.all()],
        competencies=[_competency_out(c) for c in programme.competencies.all()],
        requirements=[
            RequirementIn(group=r.group.code, level=r.level, minimum=r.minimum)  # type: ignore[arg-type]
            for r in programme.requirements.select_related("group")
        ],
    )


def _stage(programme: Programme, stage: Stage, payload: StageIn) -> Stage:
    for name, value in payload.dict().items():
        setattr(stage, name, value)
    stage.programme = programme
    return stage


@router.post(
    "/training/programmes/{programme_id}/stages",
    response={201: StageOut},
    summary="Coordinators: add a stage",
)
def add_stage(request: HttpRequest, programme_id: int, payload: StageIn) -> Status[StageOut]:
    user = api_user(request)
    programme = access.get_programme_to_edit(user, programme_id)
    saved = actions.save_curriculum_item(user, _stage(programme, Stage(), payload), request=request)
    return Status(201, _stage_out(saved))  # type: ignore[arg-type]


@router.put(
    "/training/programmes/{programme_id}/stages/{stage_id}",
    response=StageOut,
    summary="Coordinators: change a stage",
)
def change_stage(request: HttpRequest, programme_id: int, stage_id: int, payload: StageIn) -> StageOut:
    user = api_user(request)
    programme = access.get_programme_to_edit(user, programme_id)
    stage = access.get_stage_to_edit(user, programme_id, stage_id)
    saved = actions.save_curriculum_item(user, _stage(programme, stage, payload), request=request)
    return _stage_out(saved)  # type: ignore[arg-type]


def _competency(programme: Programme, competency: Competency, payload: CompetencyIn) -> Competency:
    stage = programme.stages.filter(pk=payload.stage).first() if payload.stage is not None else None
    if payload.stage is not None and stage is None:
        raise FieldErrors(
            [{"field": "stage", "message": _("This stage belongs to another programme."), "type": "invalid"}]
        )
    for name, value in payload.dict(exclude={"stage"}).items():
        setattr(competency, name, value)
    competency.programme = programme
    competency.stage = stage
    return competency


@router.post(
    "/training/programmes/{programme_id}/competencies",
    response={201: CompetencyOut},
    summary="Coordinators: add a competency (EPA)",
)
def add_competency(request: HttpRequest, programme_id: int, payload: CompetencyIn) -> Status[CompetencyOut]:
    user = api_user(request)
    programme = access.get_programme_to_edit(user, programme_id)
    saved = actions.save_curriculum_item(user, _competency(programme, Competency(), payload), request=request)
    return Status(201, _competency_out(saved))  # type: ignore[arg-type]


@router.put(
    "/training/programmes/{programme_id}/competencies/{competency_id}",
    response=CompetencyOut,
    summary="Coordinators: change a competency (EPA)",
)
def change_competency(
    request: HttpRequest, programme_id: int, competency_id: int, payload: CompetencyIn
) -> CompetencyOut:
    user = api_user(request)
    programme = access.get_programme_to_edit(user, programme_id)
    competency = access.get_competency_to_edit(user, programme_id, competency_id)
    saved = actions.save_curriculum_item(user, _competency(programme, competency, payload), request=request)
    return _competency_out(saved)  # type: ignore[arg-type]


@router.put(
    "/training/programmes/{programme_id}/requirements",
    response=RequirementIn,
    summary="Coordinators: set a requirement (a minimum of 0 removes it)",
)
def set_requirement(request: HttpRequest, programme_id: int, payload: RequirementIn) -> RequirementIn:
    user = api_user(request)
    programme = access.get_programme_to_edit(user, programme_id)
    group = ProcedureGroup.objects.filter(code=payload.group).first()
    if group is None:
        raise FieldErrors(
            [{"field": "group", "message": _("No procedure group with this code."), "type": "invalid"}]
        )
    actions.set_requirement(user, programme, group, payload.level, payload.minimum, request=request)
    return payload


__all__ = ["AgeBand", "Sex", "Supervision", "Urgency", "router"]
