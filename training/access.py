"""Who sees which logbook entry and enrolment: one loader per object type (STYLE.md).

Trainees see their own; supervisors the entries they are named on and those of the trainees they
supervise; coordinators those of the trainees whose home institution they coordinate. Anyone
else is told nothing exists (404); a role with no part in training is refused the pages (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role, User
from training.models import Competency, Enrolment, LogbookEntry, ProcedureGroup, Programme, Stage

TRAINING_ROLES = (Role.TRAINEE, Role.SUPERVISOR, Role.COORDINATOR)


def coordinated(user: User) -> list[int]:
    return [institution.pk for institution in user.institutions_with_role(Role.COORDINATOR)]


def is_named_supervisor(user: User) -> bool:
    """Named on an enrolment, or named on an entry as the host supervisor abroad."""
    return (
        Enrolment.objects.filter(supervisors=user, is_active=True).exists()
        or LogbookEntry.objects.filter(supervisor=user).exists()
    )


def require_training_role(user: User) -> None:
    """The logbook pages are for trainees, supervisors and coordinators."""
    if not (user.has_role(*TRAINING_ROLES) or is_named_supervisor(user)):
        raise PermissionDenied


def enrolments_visible_to(user: User) -> QuerySet[Enrolment]:
    supervised = Enrolment.objects.filter(supervisors=user).values("pk")
    places = coordinated(user)
    return Enrolment.objects.filter(
        Q(trainee=user)
        | Q(pk__in=supervised)
        | Q(institution_id__in=places)
        | Q(programme__institution_id__in=places)
    )


def entries_visible_to(user: User) -> QuerySet[LogbookEntry]:
    supervised = Enrolment.objects.filter(supervisors=user).values("pk")
    return LogbookEntry.objects.filter(
        Q(trainee=user)
        | Q(supervisor=user)
        | Q(enrolment_id__in=supervised)
        | Q(enrolment__institution_id__in=coordinated(user))
        | Q(enrolment__programme__institution_id__in=coordinated(user))
    )


def queue_of(user: User) -> QuerySet[LogbookEntry]:
    """The entries waiting for this supervisor's decision (queried ones wait for the trainee)."""
    return LogbookEntry.objects.filter(supervisor=user, status="pending")


def get_enrolment(user: User, enrolment_id: int) -> Enrolment:
    enrolment = (
        enrolments_visible_to(user)
        .select_related("trainee", "programme", "stage", "institution")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def get_entry(user: User, entry_id: int) -> LogbookEntry:
    entry = (
        entries_visible_to(user)
        .select_related("trainee", "supervisor", "institution", "enrolment__stage", "enrolment__programme")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def get_entry_to_validate(user: User, entry_id: int) -> LogbookEntry:
    """Seen by the trainee's coordinator too, but decided by the named supervisor only (403)."""
    entry = get_entry(user, entry_id)
    if entry.supervisor_id != user.pk:
        raise PermissionDenied
    return entry


def get_own_entry(user: User, entry_id: int) -> LogbookEntry:
    entry = get_entry(user, entry_id)
    if entry.trainee_id != user.pk:
        raise PermissionDenied
    return entry


def own_enrolments(user: User) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(trainee=user, is_active=True).select_related("programme", "stage")


def get_programme_to_edit(user: User, programme_id: int) -> Programme:
    """Its curriculum is edited by the coordinators of the programme's institution; another
    institution's programme is not shown to them (404); other roles are refused (403)."""
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied
    programme = Programme.objects.filter(pk=programme_id, institution_id__in=coordinated(user)).first()
    if programme is None:
        raise Http404
    return programme


def get_programme_to_direct(user: User, programme_id: int) -> Programme:
    """Its trainees side by side: for the coordinators of the programme's institution (its
    programme directors), as for editing it."""
    return get_programme_to_edit(user, programme_id)


def get_entry_to_recognise(user: User, entry_id: int) -> LogbookEntry:
    """Seen by the trainee's supervisors and coordinators; recognised only by a coordinator of
    the home programme's institution (403 for the others who see it)."""
    entry = get_entry(user, entry_id)
    if entry.enrolment.programme.institution_id not in coordinated(user):
        raise PermissionDenied
    return entry


def awaiting_recognition(user: User) -> QuerySet[LogbookEntry]:
    """Entries validated abroad waiting for this coordinator's programmes to recognise them."""
    return LogbookEntry.objects.filter(
        status="abroad", enrolment__programme__institution_id__in=coordinated(user)
    )


def get_stage_to_edit(user: User, programme_id: int, stage_id: int) -> Stage:
    programme = get_programme_to_edit(user, programme_id)
    stage = programme.stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    return stage


def get_competency_to_edit(user: User, programme_id: int, competency_id: int) -> Competency:
    programme = get_programme_to_edit(user, programme_id)
    competency = programme.competencies.filter(pk=competency_id).first()
    if competency is None:
        raise Http404
    return competency


def require_coordinator(user: User) -> None:
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied


def get_group_to_edit(user: User, group_id: int) -> ProcedureGroup:
    """Procedure groups are shared by every programme: any coordinator edits them."""
    require_coordinator(user)
    group = ProcedureGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise Http404
    return group
