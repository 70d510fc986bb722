"""Loading people, institutions and invitations for a user: the one place that says who may.

404 for what the user may not know exists, 403 for what they may see but not change.
Views and API endpoints call these; none of them loads such an object by id on its own.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from accounts.models import ApiToken, Institution, Invitation, Membership, Role, User
from core.models import AuditEntry
from lib.tokens import hash_secret


def is_people_manager(user: User) -> bool:
    return user.is_administrator or user.has_role(Role.COORDINATOR)


def require_people_manager(user: User) -> None:
    if not is_people_manager(user):
        raise PermissionDenied


def managed_institutions(user: User) -> QuerySet[Institution]:
    if user.is_administrator:
        return Institution.objects.filter(is_active=True)
    ids = [institution.pk for institution in user.institutions_with_role(Role.COORDINATOR)]
    return Institution.objects.filter(pk__in=ids, is_active=True)


def manages(user: User, institution: Institution) -> bool:
    return user.is_administrator or any(
        i.pk == institution.pk for i in user.institutions_with_role(Role.COORDINATOR)
    )


def people_managed_by(user: User) -> QuerySet[User]:
    require_people_manager(user)
    if user.is_administrator:
        return User.objects.all()
    return User.objects.filter(
        pk__in=Membership.objects.filter(institution__in=managed_institutions(user)).values("user_id")
    )


def get_person_for_manager(user: User, person_id: int) -> User:
    person = people_managed_by(user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def get_membership_for_manager(user: User, membership_id: int) -> Membership:
    require_people_manager(user)
    membership = (
        Membership.objects.select_related("user", "institution")
        .filter(pk=membership_id, institution__in=managed_institutions(user))
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def get_invitation_for_manager(user: User, invitation_id: int) -> Invitation:
    require_people_manager(user)
    invitation = (
        Invitation.objects.select_related("institution")
        .filter(pk=invitation_id, institution__in=managed_institutions(user))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def get_institution(code: str) -> Institution:
    """Institutions are the partnership's public directory: any signed-in user may read one."""
    institution = (
        Institution.objects.select_related("country").filter(short_code=code, is_active=True).first()
    )
    if institution is None:
        raise Http404
    return institution


def get_institution_for_manager(user: User, code: str) -> Institution:
    institution = get_institution(code)
    if not manages(user, institution):
        raise PermissionDenied
    return institution


def get_invitation_by_token(raw_token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("institution", "invited_by")
        .filter(token_hash=hash_secret(raw_token))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def get_own_api_token(user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    return token


def audit_entries_for(user: User) -> QuerySet[AuditEntry]:
    """Administrators read the whole trail; coordinators read what concerns their institutions
    and the people who work there. Everyone else is refused."""
    if user.is_administrator:
        return AuditEntry.objects.all()
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied
    institutions = managed_institutions(user)
    # Entries tied to one of their institutions, and entries about one of their people that
    # belong to no institution (sign-ins, profile changes): never what those people did elsewhere.
    members = (
        Membership.objects.filter(institution__in=institutions)
        .annotate(user_key=Cast("user_id", CharField()))
        .values("user_key")
    )
    return AuditEntry.objects.filter(
        Q(institution__in=institutions)
        | Q(institution__isnull=True, object_type="accounts.user", object_id__in=members)
    )
