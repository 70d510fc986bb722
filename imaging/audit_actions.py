from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, User
from consultations.actions import record_on_case as record_on_consultation
from consultations.models import Case
from core.audit import AuditAction, record
from imaging.models import Instance, Study

IMAGING_UPLOADED = AuditAction("imaging.uploaded", _("Imaging received"))
IMAGING_ATTACHED = AuditAction("imaging.attached", _("Imaging study attached to a case"))
IMAGING_REVIEWED = AuditAction("imaging.reviewed", _("Imaging series reviewed for burned-in text"))
IMAGING_EXCLUDED = AuditAction("imaging.excluded", _("Imaging series excluded from sharing"))
IMAGING_SHARED = AuditAction("imaging.shared", _("Imaging study shared"))
IMAGING_RETRIEVED = AuditAction("imaging.retrieved", _("Imaging opened from abroad"))
ORIGINAL_DOWNLOADED = AuditAction("imaging.original_downloaded", _("Original imaging file downloaded"))
ANNOTATION_ADDED = AuditAction("imaging.annotation_added", _("Annotation left on an image"))
REFUSED_SENDER = AuditAction("imaging.refused_sender", _("DICOM sender refused"))


def record_on_case(
    action: AuditAction,
    case: Case,
    actor: User | None,
    request: HttpRequest | None = None,
    **detail: object,
) -> None:
    """An imaging event on a case, recorded where the case's other events are."""
    record_on_consultation(action, case, actor=actor, request=request, detail=detail)


def record_received(
    instances: Iterable[Instance],
    *,
    source: str,
    institution: Institution,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **detail: object,
) -> None:
    """One entry per study that received new images, whatever brought them."""
    counts = Counter(instance.series.study_id for instance in instances)
    for study in Study.objects.filter(pk__in=counts).order_by("pk"):
        record(
            IMAGING_UPLOADED,
            actor=actor,
            target=study,
            institution=institution,
            request=request,
            detail={"source": source, "instances": counts[study.pk], **detail},
        )
