"""Who reaches which certificate (STYLE.md: one loader per object type).

The holder downloads their own; the coordinators of the issuing institution list, download and
revoke the certificates it issued; anyone else is told nothing exists (404). The public page
reads nothing through here: it shows one certificate's public facts by its code (verification.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, User
from training.access import coordinated
from training.certificates.actions import attended, waiting_for_certificate
from training.certificates.codes import parse
from training.certificates.models import Certificate
from training.models import Enrolment
from training.sessions.access import get_session_to_manage
from training.sessions.models import Registration, Session
from training.sessions.models import Status as SessionStatus

RELATED = ("holder", "institution", "issued_by", "revoked_by")


def own_certificates(user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(holder=user).select_related(*RELATED)


def issued_by_institutions_of(user: User) -> QuerySet[Certificate]:
    """The certificates issued by the institutions this person coordinates."""
    return Certificate.objects.filter(institution_id__in=coordinated(user)).select_related(*RELATED)


def get_certificate(user: User, code: str) -> Certificate:
    stored = parse(code)
    certificate = (
        Certificate.objects.filter(Q(holder=user) | Q(institution_id__in=coordinated(user)))
        .select_related(*RELATED)
        .filter(code=stored)
        .first()
        if stored
        else None
    )
    if certificate is None:
        raise Http404
    return certificate


def get_certificate_to_revoke(user: User, code: str) -> Certificate:
    """Seen by its holder, but revoked only by the issuing institution's coordinators (403)."""
    certificate = get_certificate(user, code)
    if certificate.institution_id not in coordinated(user):
        raise PermissionDenied
    return certificate


def require_coordinator(user: User) -> None:
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied


def enrolments_to_certify(user: User) -> QuerySet[Enrolment]:
    """Enrolments in the programmes of the institutions this coordinator coordinates."""
    return Enrolment.objects.filter(
        programme__institution_id__in=coordinated(user), is_active=True
    ).select_related("trainee", "programme", "stage")


def get_enrolment_to_certify(user: User, enrolment_id: int) -> Enrolment:
    require_coordinator(user)
    enrolment = enrolments_to_certify(user).filter(pk=enrolment_id).first()
    if enrolment is None:
        raise Http404
    return enrolment


def _count_per_session(registrations: QuerySet[Registration]) -> QuerySet[Registration, dict[str, Any]]:
    return (
        registrations.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )


def sessions_to_certify(user: User) -> QuerySet[Session]:
    """The ended sessions of the institutions this coordinator coordinates, with how many
    attended, how many hold a valid certificate for it, and how many issue_for_session would
    certify now (`waiting`, by the action's own rule: the page offers to issue only then)."""
    return (
        Session.objects.filter(institution_id__in=coordinated(user), ends_at__lte=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(
            came=Coalesce(Subquery(_count_per_session(attended(Registration.objects.all()))), 0),
            certified=Count("certificates", filter=Q(certificates__revoked_at__isnull=True), distinct=True),
            waiting=Coalesce(
                Subquery(_count_per_session(waiting_for_certificate(Registration.objects.all()))), 0
            ),
        )
        .order_by("-starts_at")
    )


def get_session_to_certify(user: User, session_id: int) -> Session:
    """Seen by everyone at a partner institution (sessions' rule), certified only by the
    coordinators of the organising one (403)."""
    return get_session_to_manage(user, session_id)
