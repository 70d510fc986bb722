"""JSON API of the logbook: one's own entries (list, create, duplicate), the supervisor's queue
and decision, and the procedure master list."""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from datetime import date
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api_auth import api_user
from accounts.models import Institution, User
from consultations.api.common import idempotency_key
from core.errors import FieldErrors
from training import access, actions
from training.codes import Supervision
from training.models import AgeBand, LogbookEntry, Procedure, Sex, Urgency

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
    decided = actions.validate_entry(user, entry, payload.decision, payload.comment, request=request)
    return _entries(LogbookEntry.objects.filter(pk=decided.pk))[0]


__all__ = ["AgeBand", "Sex", "Supervision", "Urgency", "router"]
