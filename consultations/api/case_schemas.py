"""The consultation as the API reads and writes it.

The clinical input schema is built from `consultations.case_fields`: its fields in the form's
order, and for each the type, choices, length and range of the model field, so the API refuses
what the model refuses without saying it a second time.
"""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from ninja import Schema
from pydantic import Field, create_model

from consultations import actions
from consultations.access import CaseAccess
from consultations.case_fields import CLINICAL_FIELDS, IDENTITY_FIELDS, AnyField, identity_field, model_field
from consultations.models import Band, Case, Consent, Opinion, Outcome


def limits(field: AnyField) -> dict[str, Any]:
    """The model field's range, from its validators (the database's own range included)."""
    lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    found: dict[str, Any] = {}
    if lows:
        found["ge"] = max(lows)
    if highs:
        found["le"] = min(highs)
    return found


def optional_input(field: AnyField) -> tuple[Any, Any]:
    """(type, default) of an optional API input that accepts what the model field accepts."""
    if field.choices:
        codes = [code for code, _label in field.flatchoices]
        if field.blank:
            codes.append("")
        choice: Any = Literal.__getitem__(tuple(codes))
        return choice | None, None
    if isinstance(field, models.BooleanField):
        return bool | None, None
    if isinstance(field, models.DateTimeField):
        return datetime | None, None
    if isinstance(field, models.DecimalField):
        return Decimal | None, Field(None, **limits(field), decimal_places=field.decimal_places)
    if isinstance(field, models.IntegerField):
        return int | None, Field(None, **limits(field))
    if isinstance(field, models.CharField | models.TextField):
        return str | None, Field(None, max_length=field.max_length)
    raise TypeError(f"No API type for {field!r}: say how the API takes it.")


_ClinicalFields: Any = create_model(  # type: ignore[call-overload]
    "_ClinicalFields",
    __base__=Schema,
    **{name: optional_input(model_field(name)) for name in CLINICAL_FIELDS},
)


class ClinicalIn(_ClinicalFields):
    """The clinical record; ranges match the form's (values outside them are refused with 422)."""


class IdentityIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=identity_field("full_name").max_length)
    hospital_number: str = Field("", max_length=identity_field("hospital_number").max_length)
    phone: str = Field("", max_length=identity_field("phone").max_length)
    date_of_birth: date | None = None
    admitted_on: date | None = None


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


class IntervalOut(Schema):
    """An interval as a range: at least `at_least` (none: open below), under `under` (none: open above)."""

    at_least: int | None
    under: int | None
    unit: Literal["hours", "days"]
    label: str


def interval_out(band: Band | None) -> IntervalOut | None:
    if band is None:
        return None
    return IntervalOut(at_least=band.at_least, under=band.under, unit=band.unit, label=str(band.label))  # type: ignore[arg-type]


class OutcomeOut(OutcomeIn):
    days_from_referral_to_operation: int | None = Field(
        None, description="Only for the referring hospital's team, who see the date itself"
    )
    referral_to_operation: IntervalOut | None = Field(
        None, description="From referral to operation, as a range at least three days wide"
    )


class CaseHeading(Schema):
    """What a case list and a case answer both begin with."""

    code: str
    status: str
    urgency: str
    category: str
    referring_institution: str
    submitted_at: datetime | None
    deadline: datetime | None


class CaseSummaryOut(CaseHeading):
    """Filled from each case of the page the paginator slices (never from the whole list)."""

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


class CaseOut(CaseHeading):
    clinical: dict[str, Any]
    hours_from_injury_to_referral: float | None = Field(
        None, description="Only for the referring hospital's team, who see the time of injury itself"
    )
    injury_to_referral: IntervalOut | None = Field(
        None, description="From injury to referral, as a range at least three hours wide"
    )
    gcs_total: int | None
    red_flags: list[str]
    identity: dict[str, Any] | None = Field(None, description="Only for the referring hospital's team")
    consent_countries: list[str]
    assignments: list[AssignmentOut]
    opinions: list[OpinionOut]
    outcome: OutcomeOut | None
    missing_for_submission: list[dict[str, str]]


def case_out(access: CaseAccess) -> CaseOut:
    case = Case.objects.select_related("category", "referring_institution").get(pk=access.case.pk)
    clinical = {field: getattr(case, field) for field in CLINICAL_FIELDS if field != "injury_at"}
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
        # With the time of sending (known to all), exact hours are the time of injury.
        hours_from_injury_to_referral=case.hours_from_injury_to_referral() if access.sees_identity else None,
        injury_to_referral=interval_out(case.injury_to_referral()),
        gcs_total=case.gcs_total,
        red_flags=actions.triage(case),
        identity={field: getattr(person, field) for field in IDENTITY_FIELDS}
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
        opinions=[opinion_out(o) for o in case.opinions.select_related("consultant")],
        outcome=outcome_out(case, outcome, access) if outcome else None,
        missing_for_submission=[{"field": f, "message": m} for f, m in actions.missing_for_submission(case)]
        if case.is_draft and access.in_referring_team
        else [],
    )


def opinion_out(opinion: Opinion) -> OpinionOut:
    return OpinionOut(
        id=opinion.pk,
        consultant_id=opinion.consultant_id,
        consultant_name=opinion.consultant.full_name,
        created_at=opinion.created_at,
        **{f: getattr(opinion, f) for f in OpinionIn.model_fields},
    )


def outcome_out(case: Case, outcome: Outcome, access: CaseAccess) -> OutcomeOut:
    data = {f: getattr(outcome, f) for f in OutcomeIn.model_fields}
    outcome.case = case
    days = outcome.days_from_referral_to_operation()
    if not access.sees_identity:
        # An exact date, and exact days with the time of sending are the date: a range only
        # (consultations.models.INJURY_TO_REFERRAL says why).
        data["operation_date"] = None
        days = None
    return OutcomeOut(
        days_from_referral_to_operation=days,
        referral_to_operation=interval_out(outcome.referral_to_operation()),
        **data,
    )
