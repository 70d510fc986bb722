"""Imaging's audit actions. What is read outside the referring team is recorded once per
sitting, series and kind of read (`consultations.actions.record_case_read` says how)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, User
from consultations.actions import record_case_read
from consultations.actions import record_on_case as record_on_consultation
from consultations.models import Case
from core.audit import AuditAction, declare_detail, record
from imaging.models import Annotation, Instance, Series, Study

if TYPE_CHECKING:
    from imaging.access import ImagingAccess  # which imports this module

IMAGING_UPLOADED = AuditAction("imaging.uploaded", _("Imaging received"))
IMAGING_ATTACHED = AuditAction("imaging.attached", _("Imaging study attached to a case"))
IMAGING_REVIEWED = AuditAction("imaging.reviewed", _("Imaging series reviewed for burned-in text"))
IMAGING_EXCLUDED = AuditAction("imaging.excluded", _("Imaging series excluded from sharing"))
IMAGING_SHARED = AuditAction("imaging.shared", _("Imaging study shared"))
IMAGING_RETRIEVED = AuditAction("imaging.retrieved", _("Imaging opened outside the referring hospital"))
IMAGING_LIST_READ = AuditAction("imaging.list_read", _("Imaging list of a case read"))
MANIFEST_READ = AuditAction("imaging.manifest_read", _("Slice list of a series read"))
SLICES_READ = AuditAction("imaging.slices_read", _("Rendered slices of a series read"))
FULL_QUALITY_READ = AuditAction("imaging.full_quality_read", _("Full-quality images of a series read"))
THUMBNAIL_READ = AuditAction("imaging.thumbnail_read", _("Thumbnail of a series read"))
IMAGING_SEARCHED = AuditAction("imaging.searched", _("Imaging of a case found by a DICOMweb search"))
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


# --- reads from outside the referring team: consultations.actions.record_case_read ----------
record_read = record_case_read


def record_imaging_read(
    action: AuditAction,
    access: ImagingAccess,
    request: HttpRequest | None,
    series: Series | None = None,
    **detail: str | int,
) -> None:
    """What a page or endpoint of the case's imaging showed, by `access.user` (see `record_read`)."""
    record_read(
        action,
        access.case_access.case,
        access.user,
        request,
        in_referring_team=access.manages,
        scope={"series": series.pk} if series is not None else None,
        **detail,
    )


# The keys imaging writes in entries' detail, so the audit page reads them in the auditor's language.
declare_detail("source", _("Source"), dict(Study.Source.choices))
declare_detail("through", _("Through"), dict(Study.Source.choices))
declare_detail("instances", _("Images"))
declare_detail("instance", _("Image"))
declare_detail("study", _("Study"))
declare_detail("studies", _("Studies"))
declare_detail("series", _("Series"))
declare_detail("masked_images", _("Images masked"))
declare_detail("masked_regions", _("Regions masked"))
declare_detail("abroad", _("From abroad"))
declare_detail("kind", _("Kind of annotation"), dict(Annotation.Kind.choices))
declare_detail(
    "what",
    _("What was read"),
    {"series": _("Series"), "instances": _("Images"), "metadata": _("Image headers")},
)
declare_detail("level", _("Search level"))
declare_detail("results", _("Results"))
declare_detail("parts", _("Parts"))
declare_detail("refused", _("Parts refused"))
declare_detail("ae_title", _("Sender's AE title"))
declare_detail("peer_host", _("Sender's address"))
declare_detail("peer_port", _("Sender's port"))
declare_detail("sender", _("Sender"))
declare_detail("file", _("File"))
declare_detail("reason", _("Reason"))
declare_detail("tries", _("Tries"))
