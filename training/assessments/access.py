"""Who sees which assessment: one loader per object type (STYLE.md).

Trainees see their own; the assessor those they were asked for; supervisors those of the trainees
they supervise; coordinators those of their programmes (the programme's institution). Anyone else
is told nothing exists (404); one who may see an assessment but not complete it is refused (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role, User
from training.access import TRAINING_ROLES, coordinated, is_named_supervisor
from training.assessments.models import Assessment, Status
from training.models import Enrolment, Programme

RELATED = ("trainee", "assessor", "institution", "procedure", "competency", "enrolment__programme")


def is_assessor(user: User) -> bool:
    return Assessment.objects.filter(assessor=user).exists()


def require_assessments_role(user: User) -> None:
    """The assessment pages are for trainees, supervisors, coordinators and anyone asked to assess."""
    if not (user.has_role(*TRAINING_ROLES) or is_named_supervisor(user) or is_assessor(user)):
        raise PermissionDenied


def visible_to(user: User) -> QuerySet[Assessment]:
    supervised = Enrolment.objects.filter(supervisors=user).values("pk")
    return Assessment.objects.filter(
        Q(trainee=user)
        | Q(assessor=user)
        | Q(enrolment_id__in=supervised)
        | Q(enrolment__programme__institution_id__in=coordinated(user))
    )


def to_complete(user: User) -> QuerySet[Assessment]:
    """The requests waiting for this assessor, the oldest first."""
    return Assessment.objects.filter(assessor=user, status=Status.REQUESTED).order_by("requested_at", "pk")


def get_assessment(user: User, assessment_id: int) -> Assessment:
    found = visible_to(user).select_related(*RELATED).filter(pk=assessment_id).first()
    if found is None:
        raise Http404
    return found


def get_assessment_to_complete(user: User, assessment_id: int) -> Assessment:
    """Seen by the trainee, their supervisors and coordinators, but completed by the assessor (403)."""
    found = get_assessment(user, assessment_id)
    if found.assessor_id != user.pk:
        raise PermissionDenied
    return found


def coordinated_programmes(user: User) -> QuerySet[Programme]:
    """The programmes whose assessors a coordinator counts; other roles are refused (403)."""
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied
    return Programme.objects.filter(institution_id__in=coordinated(user))
