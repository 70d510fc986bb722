"""Every change to a workplace-based assessment: the trainee's request, the assessor's completion
or refusal, and the reminder of overdue requests. Permission, transaction, audit entry and
notification in one place, for the pages, the API, the worker and the tests (STYLE.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Institution, Role, User
from core.audit import record
from core.errors import ActionError, FieldErrors
from core.notifications import notify
from training.actions import identifier_errors, local_today
from training.assessments import audit_actions as acts
from training.assessments import notices
from training.assessments.models import Assessment, Kind, Status, due_from
from training.models import Competency, Enrolment, Procedure

ASSESSOR_ROLES = (Role.SUPERVISOR, Role.CONSULTANT)
NARRATIVE_FIELDS = ("narrative", "went_well", "to_develop")
# Said by the request, the page's form and the API alike when the assessor is not one of
# possible_assessors().
NOT_AN_ASSESSOR = gettext_lazy(
    "Choose one of your supervisors, or a surgeon of the hospital where you were observed."
)


def _error(field_name: str, message: str) -> dict[str, str]:
    return {"field": field_name, "message": message, "type": "invalid"}


def _no_identifiers(texts: dict[str, str]) -> list[dict[str, str]]:
    return identifier_errors(
        texts,
        _(
            "Remove the name, phone number, e-mail address, date or other number: an assessment holds no "
            "patient identifier. Describe the case without them."
        ),
    )


def _refuse_identifiers(
    person: User, institution: Institution, texts: dict[str, str], request: HttpRequest | None
) -> list[dict[str, str]]:
    found = _no_identifiers(texts)
    if found:
        # Recorded outside the refused change, so repeated attempts show in the trail.
        record(
            acts.REFUSED_IDENTIFIER,
            actor=person,
            institution=institution,
            request=request,
            detail={"fields": [error["field"] for error in found]},
        )
    return found


def possible_assessors(enrolment: Enrolment, institution: Institution | None = None) -> QuerySet[User]:
    """The trainee's named supervisors, and the supervisors and consultants of the hospital where
    the work was observed (a host surgeon on a rotation abroad assesses too). The one rule: the
    request checks its assessor against it, and the request form offers only these people."""
    named = User.objects.filter(supervised_enrolments=enrolment, is_active=True)
    if institution is None:
        return named.distinct()
    there = User.objects.filter(
        memberships__institution=institution, memberships__role__in=ASSESSOR_ROLES, is_active=True
    )
    return (named | there).exclude(pk=enrolment.trainee_id).distinct()


# --- The trainee's request ----------------------------------------------------------------------
@dataclass
class RequestData:
    enrolment: Enrolment
    kind: str
    assessor: User
    observed_on: date
    institution: Institution
    procedure: Procedure | None = None
    competency: Competency | None = None
    summary: str = ""


def _check_request(trainee: User, data: RequestData) -> list[dict[str, str]]:
    errors = []
    if data.kind not in Kind.values:
        errors.append(_error("kind", _("Choose a case-based discussion, DOPS, PBA or EPA observation.")))
    if data.observed_on > local_today(trainee):
        errors.append(_error("observed_on", _("The date observed cannot be in the future.")))
    if data.assessor.pk == trainee.pk:
        errors.append(_error("assessor", _("You cannot assess yourself: choose another assessor.")))
    elif not possible_assessors(data.enrolment, data.institution).filter(pk=data.assessor.pk).exists():
        errors.append(_error("assessor", str(NOT_AN_ASSESSOR)))
    if data.kind == Kind.EPA:
        if data.competency is None:
            errors.append(_error("competency", _("Choose the competency (EPA) that was observed.")))
        elif data.competency.programme_id != data.enrolment.programme_id:
            errors.append(_error("competency", _("This competency belongs to another programme.")))
    elif data.competency is not None:
        errors.append(_error("competency", _("A competency is rated in an EPA observation only.")))
    return errors


def request_assessment(trainee: User, data: RequestData, *, request: HttpRequest | None = None) -> Assessment:
    if data.enrolment.trainee_id != trainee.pk or not data.enrolment.is_active:
        raise Http404
    errors = _check_request(trainee, data)
    found = _refuse_identifiers(trainee, data.institution, {"summary": data.summary}, request)
    if errors or found:
        raise FieldErrors(errors + found)
    now = timezone.now()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                enrolment=data.enrolment,
                trainee=trainee,
                assessor=data.assessor,
                kind=data.kind,
                procedure=data.procedure,
                competency=data.competency if data.kind == Kind.EPA else None,
                observed_on=data.observed_on,
                institution=data.institution,
                summary=data.summary.strip(),
                requested_at=now,
                due_at=due_from(now),
            )
            record(
                acts.REQUESTED,
                actor=trainee,
                target=assessment,
                institution=data.institution,
                request=request,
                detail={"kind": data.kind},
            )
            notify(
                [data.assessor],
                notices.TO_COMPLETE,
                params={"trainee": trainee.full_name},
                url=reverse("training_assessments:complete", args=[assessment.pk]),
            )
    except IntegrityError:
        raise ActionError(
            _("You have already asked this assessor for this assessment; it is waiting for them."),
            code="duplicate",
            status=409,
        ) from None
    return assessment


# --- The assessor's answer ----------------------------------------------------------------------
def _locked_open(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Status.REQUESTED:
        raise ActionError(_("This assessment has already been answered."), code="answered", status=409)
    return locked


def complete_assessment(
    assessor: User,
    assessment: Assessment,
    rating: int | None,
    narrative: str,
    went_well: str = "",
    to_develop: str = "",
    *,
    request: HttpRequest | None = None,
) -> Assessment:
    if assessment.assessor_id != assessor.pk:
        raise PermissionDenied
    texts = {"narrative": narrative.strip(), "went_well": went_well.strip(), "to_develop": to_develop.strip()}
    errors = []
    if rating not in (1, 2, 3, 4, 5):
        errors.append(_error("rating", _("Choose an entrustment rating from 1 to 5.")))
    if not texts["narrative"]:
        errors.append(_error("narrative", _("Write a sentence or two on what you observed.")))
    found = _refuse_identifiers(assessor, assessment.institution, texts, request)
    if errors or found:
        raise FieldErrors(errors + found)
    with transaction.atomic():
        locked = _locked_open(assessment)
        locked.status = Status.COMPLETED
        locked.rating = rating
        locked.narrative, locked.went_well, locked.to_develop = (texts[name] for name in NARRATIVE_FIELDS)
        locked.completed_at = timezone.now()
        locked.save(
            update_fields=["status", "rating", "narrative", "went_well", "to_develop", "completed_at"]
        )
        record(
            acts.COMPLETED,
            actor=assessor,
            target=locked,
            institution=locked.institution,
            request=request,
            detail={"kind": locked.kind, "rating": rating},
        )
        notify(
            [locked.trainee],
            notices.COMPLETED,
            params={"assessor": assessor.full_name, "assessment": f"#{locked.pk}"},
            url=reverse("training_assessments:detail", args=[locked.pk]),
        )
    return locked


def decline_assessment(
    assessor: User, assessment: Assessment, reason: str, *, request: HttpRequest | None = None
) -> Assessment:
    if assessment.assessor_id != assessor.pk:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise FieldErrors([_error("reason", _("Say why, so that the trainee can ask someone else."))])
    found = _refuse_identifiers(assessor, assessment.institution, {"reason": reason}, request)
    if found:
        raise FieldErrors(found)
    with transaction.atomic():
        locked = _locked_open(assessment)
        locked.status = Status.DECLINED
        locked.decline_reason = reason
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "decline_reason", "completed_at"])
        record(
            acts.DECLINED,
            actor=assessor,
            target=locked,
            institution=locked.institution,
            request=request,
            detail={"kind": locked.kind},
        )
        notify(
            [locked.trainee],
            notices.DECLINED,
            params={"assessor": assessor.full_name, "assessment": f"#{locked.pk}"},
            url=reverse("training_assessments:detail", args=[locked.pk]),
        )
    return locked


def remind_overdue(now: datetime | None = None) -> int:
    """One reminder per assessor with requests past their due date; returns how many were reminded."""
    waiting = Counter(
        Assessment.objects.filter(status=Status.REQUESTED, due_at__lt=now or timezone.now()).values_list(
            "assessor_id", flat=True
        )
    )
    for assessor in User.objects.filter(pk__in=waiting, is_active=True):
        notify(
            [assessor],
            notices.OVERDUE_REMINDER,
            params={"count": waiting[assessor.pk]},
            url=reverse("training_assessments:to_complete"),
        )
    return len(waiting)


__all__ = [
    "NOT_AN_ASSESSOR",
    "RequestData",
    "complete_assessment",
    "decline_assessment",
    "possible_assessors",
    "remind_overdue",
    "request_assessment",
]
