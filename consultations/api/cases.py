"""Consultations: list, draft, read, change, consent, identifiers, send, acknowledge, assign, close."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from accounts.api_auth import api_user
from accounts.models import Role
from consultations import actions
from consultations.access import cases_visible_to, get_case_for_user
from consultations.api.case_schemas import CaseOut, CaseSummaryOut, ClinicalIn, IdentityIn, case_out
from consultations.api.common import case_for, idempotency_key
from consultations.queries import BOXES, cases_in_box, with_list_columns
from core.api_types import BoundedPageNumberPagination
from core.errors import ActionError
from core.models import Country, DiagnosisCategory
from lib.identifiers import unconfirmed

router = Router()


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
    may_be_kept: bool = Field(
        description="False for the patient's own name, hospital number or phone: it must be removed from the text"
    )


class KeysIn(Schema):
    keys: list[str]


class AssignIn(Schema):
    consultant_id: int


class CloseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


def _category(code: str) -> DiagnosisCategory:
    category = DiagnosisCategory.objects.select_related("specialty").filter(code=code).first()
    if category is None:
        raise Http404
    return category


@router.get("/cases", response=list[CaseSummaryOut], summary="Consultations you can see")
@paginate(BoundedPageNumberPagination, page_size=30)
def list_cases(
    request: HttpRequest,
    box: Literal["ours", "awaiting", "answered", "open", "overdue", "outcome", "all"] = "all",
    status: str | None = None,
    urgency: str | None = None,
    category: str | None = None,
    q: str | None = None,
) -> Any:
    user = api_user(request)
    cases = cases_in_box(user, box if box in BOXES else "all", cases_visible_to(user))
    if status:
        cases = cases.filter(status=status)
    if urgency:
        cases = cases.filter(urgency=urgency)
    if category:
        cases = cases.filter(category__code=category)
    if q:
        cases = cases.filter(code__icontains=q.strip().upper())
    return with_list_columns(cases).order_by("-submitted_at", "-created_at")


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
        client_token=idempotency_key(request),
        request=request,
    )
    return Status(201, case_out(get_case_for_user(user, case.code)))


@router.get(
    "/cases/{code}", response=CaseOut, summary="One consultation (identity for the referring team only)"
)
def read_case(request: HttpRequest, code: str) -> CaseOut:
    user, access = case_for(request, code)
    actions.record_case_view(access, user, request=request, detail={"via": "api"})
    return case_out(access)


@router.patch("/cases/{code}", response=CaseOut, summary="Change a draft")
def update_case(request: HttpRequest, code: str, payload: CaseUpdateIn) -> CaseOut:
    user, access = case_for(request, code)
    actions.update_draft(
        access,
        user,
        category=_category(payload.category) if payload.category else None,
        clinical=payload.clinical.dict(exclude_unset=True) if payload.clinical else {},
        identity=payload.identity.dict(exclude_unset=True) if payload.identity else {},
        request=request,
    )
    return case_out(get_case_for_user(user, code))


@router.put("/cases/{code}/consent", response=CaseOut, summary="Record the patient's consent")
def put_consent(request: HttpRequest, code: str, payload: ConsentIn) -> CaseOut:
    user, access = case_for(request, code)
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
    return case_out(get_case_for_user(user, code))


@router.get(
    "/cases/{code}/identifiers", response=list[FindingOut], summary="Possible identifiers in the text"
)
def list_identifiers(request: HttpRequest, code: str) -> list[FindingOut]:
    user, access = case_for(request, code)
    if not access.in_referring_team:
        raise PermissionDenied
    return [
        FindingOut(key=f.key, field=f.field, kind=str(f.kind), text=f.text, may_be_kept=not f.of_the_patient)
        for f in unconfirmed(actions.identifier_findings(access.case), access.case.confirmed_identifier_keys)
    ]


@router.post("/cases/{code}/identifiers/confirm", response=list[FindingOut], summary="Keep these findings")
def confirm_identifiers(request: HttpRequest, code: str, payload: KeysIn) -> list[FindingOut]:
    user, access = case_for(request, code)
    actions.confirm_identifiers(access, user, payload.keys, request=request)
    return list_identifiers(request, code)


@router.post("/cases/{code}/submit", response=CaseOut, summary="Send the consultation")
def submit_case(request: HttpRequest, code: str) -> CaseOut:
    user, access = case_for(request, code)
    actions.submit(access, user, request=request)
    return case_out(get_case_for_user(user, code))


@router.post("/cases/{code}/acknowledge", response=CaseOut, summary="Tell the referrer you are reviewing")
def acknowledge_case(request: HttpRequest, code: str) -> CaseOut:
    user, access = case_for(request, code)
    actions.acknowledge(access, user, request=request)
    return case_out(get_case_for_user(user, code))


@router.post("/cases/{code}/assign", response=CaseOut, summary="Coordinators: ask a consultant")
def assign_case(request: HttpRequest, code: str, payload: AssignIn) -> CaseOut:
    user, access = case_for(request, code)
    if not access.coordinates_referrer:
        raise PermissionDenied
    # Same answer whether the id is unknown or only not eligible: ids are not to be probed.
    eligible = {c.pk: c for c in actions.assignable_consultants(access.case)}
    if payload.consultant_id not in eligible:
        raise ActionError(actions.NOT_ELIGIBLE, code="not_eligible")
    actions.assign_by_hand(access, user, eligible[payload.consultant_id], request=request)
    return case_out(get_case_for_user(user, code))


@router.post("/cases/{code}/close", response=CaseOut, summary="Coordinators: close without an outcome")
def close_case(request: HttpRequest, code: str, payload: CloseIn) -> CaseOut:
    user, access = case_for(request, code)
    actions.close_without_outcome(access, user, payload.reason, request=request)
    return case_out(get_case_for_user(user, code))
