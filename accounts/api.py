"""JSON API for the person's own profile, the institution directory and coordinators' people work."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from accounts import actions
from accounts.access import (
    get_institution,
    get_institution_for_manager,
    get_invitation_for_manager,
    get_membership_for_manager,
    get_person_for_manager,
    managed_institutions,
    require_people_manager,
)
from accounts.api_auth import api_user
from accounts.models import Institution, Invitation, Membership, Role, User
from accounts.validators import normalise_phone, validate_time_zone
from core.api_types import LanguageCode
from core.models import Subspecialty

router = Router()

RoleCode = Literal[
    "referrer", "consultant", "trainee", "supervisor", "coordinator", "researcher", "administrator"
]


class MembershipOut(Schema):
    id: int
    institution: str
    role: str
    role_label: str

    @staticmethod
    def of(membership: Membership) -> MembershipOut:
        return MembershipOut(
            id=membership.pk,
            institution=membership.institution.short_code,
            role=membership.role,
            role_label=str(Role(membership.role).label),
        )


class ProfileOut(Schema):
    id: int
    email: str
    full_name: str
    preferred_language: str
    time_zone: str
    phone: str
    languages_spoken: list[str]
    subspecialties: list[str]
    memberships: list[MembershipOut]
    two_factor_enabled: bool


class ProfileIn(Schema):
    full_name: str | None = Field(None, min_length=1, max_length=200)
    preferred_language: LanguageCode | None = None
    time_zone: str | None = Field(None, max_length=64)
    phone: str | None = Field(None, max_length=32)
    languages_spoken: list[LanguageCode] | None = None
    subspecialties: list[str] | None = Field(None, description="Subspecialty codes (consultants).")

    @field_validator("full_name")
    @classmethod
    def not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError(_("Enter a name."))
        return value.strip() if value is not None else None

    @field_validator("time_zone")
    @classmethod
    def known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                validate_time_zone(value)
            except DjangoValidationError as error:
                raise ValueError(error.messages[0]) from None
        return value

    @field_validator("phone")
    @classmethod
    def phone_number(cls, value: str | None) -> str | None:
        if value:
            try:
                return normalise_phone(value)
            except DjangoValidationError as error:
                raise ValueError(error.messages[0]) from None
        return value


class InstitutionOut(Schema):
    short_code: str
    name: str
    country: str
    country_name: str
    city: str
    kind: str
    time_zone: str
    dhis2_org_unit: str

    @staticmethod
    def of(institution: Institution) -> InstitutionOut:
        return InstitutionOut(
            short_code=institution.short_code,
            name=institution.name,
            country=institution.country.code,
            country_name=institution.country.name,
            city=institution.city,
            kind=institution.kind,
            time_zone=institution.time_zone,
            dhis2_org_unit=institution.dhis2_org_unit,
        )


class MemberOut(Schema):
    membership_id: int
    person_id: int
    full_name: str
    email: str
    is_active: bool
    institution: str
    role: str


class MembershipIn(Schema):
    person_id: int
    institution: str = Field(..., max_length=16)
    role: RoleCode


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    institution: str = Field(..., max_length=16)
    roles: list[RoleCode] = Field(..., min_length=1)
    language: LanguageCode = "sw"
    full_name: str = Field("", max_length=200)

    @field_validator("email")
    @classmethod
    def valid_email(cls, value: str) -> str:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError(_("Enter a valid e-mail address.")) from None
        return value


class InvitationOut(Schema):
    id: int
    email: str
    institution: str
    roles: list[str]
    language: str
    expires_at: str
    pending: bool

    @staticmethod
    def of(invitation: Invitation) -> InvitationOut:
        return InvitationOut(
            id=invitation.pk,
            email=invitation.email,
            institution=invitation.institution.short_code,
            roles=list(invitation.roles),
            language=invitation.language,
            expires_at=invitation.expires_at.isoformat(),
            pending=invitation.is_pending(),
        )


class PersonStatusOut(Schema):
    person_id: int
    is_active: bool


def _profile(user: User) -> ProfileOut:
    return ProfileOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        preferred_language=user.preferred_language,
        time_zone=user.time_zone,
        phone=user.phone,
        languages_spoken=list(user.languages_spoken),
        subspecialties=list(user.subspecialties.values_list("code", flat=True)),
        memberships=[MembershipOut.of(m) for m in user.active_memberships],
        two_factor_enabled=actions.has_second_factor(user),
    )


@router.get("/me", response=ProfileOut, tags=["profile"], summary="Your own profile")
def read_profile(request: HttpRequest) -> ProfileOut:
    return _profile(api_user(request))


@router.patch("/me", response=ProfileOut, tags=["profile"], summary="Change your own profile")
def change_profile(request: HttpRequest, payload: ProfileIn) -> ProfileOut:
    user = User.objects.get(pk=api_user(request).pk)
    changes = payload.dict(exclude_unset=True, exclude={"subspecialties"})
    consultant_only = {"languages_spoken", "subspecialties"} & payload.model_fields_set
    if consultant_only and not user.has_role(Role.CONSULTANT):
        raise DjangoValidationError(
            {name: [_("Only consultants set this.")] for name in sorted(consultant_only)}
        )
    subspecialties = None
    if payload.subspecialties is not None:
        subspecialties = list(Subspecialty.objects.filter(code__in=payload.subspecialties))
        unknown = set(payload.subspecialties) - {s.code for s in subspecialties}
        if unknown:
            message = _("Unknown subspecialty: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
            raise DjangoValidationError({"subspecialties": [message]})
    actions.update_profile(user, changes, subspecialties=subspecialties, request=request)
    return _profile(user)


@router.get("/institutions", response=list[InstitutionOut], tags=["institutions"])
def list_institutions(request: HttpRequest, country: str | None = None) -> list[InstitutionOut]:
    institutions = Institution.objects.filter(is_active=True).select_related("country")
    if country:
        institutions = institutions.filter(country__code=country.upper())
    return [InstitutionOut.of(i) for i in institutions.order_by("country__code", "name")]


@router.get("/institutions/{code}", response=InstitutionOut, tags=["institutions"])
def read_institution(request: HttpRequest, code: str) -> InstitutionOut:
    return InstitutionOut.of(get_institution(code))


def _member(membership: Membership) -> MemberOut:
    return MemberOut(
        membership_id=membership.pk,
        person_id=membership.user_id,
        full_name=membership.user.full_name,
        email=membership.user.email,
        is_active=membership.user.is_active,
        institution=membership.institution.short_code,
        role=membership.role,
    )


@router.get(
    "/memberships",
    response=list[MemberOut],
    tags=["people"],
    summary="Roles held at the institutions you coordinate",
)
def list_memberships(request: HttpRequest, institution: str | None = None) -> list[MemberOut]:
    actor = api_user(request)
    require_people_manager(actor)
    memberships = Membership.objects.select_related("user", "institution")
    if institution:
        memberships = memberships.filter(institution=get_institution_for_manager(actor, institution))
    else:
        memberships = memberships.filter(institution__in=managed_institutions(actor))
    return [_member(m) for m in memberships.order_by("institution__short_code", "user__full_name", "role")]


@router.post("/memberships", response={201: MemberOut}, tags=["people"], summary="Give a role")
def create_membership(request: HttpRequest, payload: MembershipIn) -> Status[MemberOut]:
    actor = api_user(request)
    person = get_person_for_manager(actor, payload.person_id)
    institution = get_institution_for_manager(actor, payload.institution)
    membership = actions.add_role(actor, person, institution, payload.role, request=request)
    return Status(201, _member(membership))


@router.delete("/memberships/{membership_id}", response={204: None}, tags=["people"], summary="Remove a role")
def delete_membership(request: HttpRequest, membership_id: int) -> Status[None]:
    actor = api_user(request)
    actions.remove_role(actor, get_membership_for_manager(actor, membership_id), request=request)
    return Status(204, None)


@router.post("/people/{person_id}/deactivate", response=PersonStatusOut, tags=["people"])
def deactivate(request: HttpRequest, person_id: int) -> PersonStatusOut:
    actor = api_user(request)
    person = get_person_for_manager(actor, person_id)
    actions.deactivate_person(actor, person, request=request)
    return PersonStatusOut(person_id=person.pk, is_active=person.is_active)


@router.post("/people/{person_id}/reactivate", response=PersonStatusOut, tags=["people"])
def reactivate(request: HttpRequest, person_id: int) -> PersonStatusOut:
    actor = api_user(request)
    person = get_person_for_manager(actor, person_id)
    actions.reactivate_person(actor, person, request=request)
    return PersonStatusOut(person_id=person.pk, is_active=person.is_active)


@router.get("/invitations", response=list[InvitationOut], tags=["people"], summary="Open invitations")
def list_invitations(request: HttpRequest) -> list[InvitationOut]:
    actor = api_user(request)
    require_people_manager(actor)
    pending = Invitation.objects.filter(
        institution__in=managed_institutions(actor),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("institution")
    return [InvitationOut.of(i) for i in pending]


@router.post("/invitations", response={201: InvitationOut}, tags=["people"], summary="Invite a person")
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status[InvitationOut]:
    actor = api_user(request)
    require_people_manager(actor)
    institution = get_institution_for_manager(actor, payload.institution)
    invitation, _raw = actions.invite_person(
        actor,
        institution=institution,
        email=payload.email,
        roles=payload.roles,
        language=payload.language,
        full_name=payload.full_name,
        request=request,
    )
    return Status(201, InvitationOut.of(invitation))


@router.delete("/invitations/{invitation_id}", response={204: None}, tags=["people"], summary="Withdraw")
def withdraw_invitation(request: HttpRequest, invitation_id: int) -> Status[None]:
    actor = api_user(request)
    actions.withdraw_invitation(actor, get_invitation_for_manager(actor, invitation_id), request=request)
    return Status(204, None)
