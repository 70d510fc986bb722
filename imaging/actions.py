"""What people do with imaging on a case: attach a waiting study, review series whose pixels may
show identifiers, exclude, share, download the originals, and leave annotations. Each refusal says
why, in the user's language; each change is audited, as is each study received by STOW-RS."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from consultations.access import referring_team_institutions
from consultations.actions import refuse_identifiers as refuse_identifiers_in_case_text
from consultations.models import Case, Status
from core.errors import ActionError
from imaging import audit_actions as acts
from imaging import geometry
from imaging.access import ImagingAccess
from imaging.geometry import round_tenth
from imaging.messages import DEID_REASON_LABELS, explain_words_removed
from imaging.models import Annotation, Instance, Series, Study, UploadBatch
from imaging.services import MASKED, Batch, mask_text
from imaging.tasks import queue_renderings, restamp_study
from lib.deid.burned_in import Suspicion
from lib.deid.dicom import Action, Reason

SUSPICION_LABELS = {
    Suspicion.BURNED_IN_ANNOTATION: gettext_lazy("the scanner says text is burned into the pixels"),
    Suspicion.SECONDARY_CAPTURE: gettext_lazy("a secondary capture (a picture of a screen or a film)"),
    Suspicion.SCREEN_OR_DOSE_REPORT: gettext_lazy("a screen capture or a dose report"),
    Suspicion.DERIVED_IMAGE: gettext_lazy("a derived image (a reconstruction or a screenshot)"),
    Suspicion.DOCUMENT_OR_REPORT: gettext_lazy("a document or a structured report"),
    Suspicion.PHOTOGRAPH: gettext_lazy("a photograph"),
    Suspicion.TEXT_IN_PIXELS: gettext_lazy("the image itself looks like it shows text"),
    Suspicion.COLOUR_CT: gettext_lazy("a CT image in colour (a CT scanner writes grey images)"),
    Suspicion.CT_WITHOUT_SPACING: gettext_lazy("a CT image without a pixel size (as a screen capture)"),
}
MASK_REASON_LABELS = {
    "text_found_by_ocr": gettext_lazy("text found by OCR"),
    "text_found_by_detector": gettext_lazy("text found by the text detector"),
}
ACTION_LABELS = {
    Action.REMOVED: gettext_lazy("Removed"),
    Action.EMPTIED: gettext_lazy("Emptied"),
    Action.REPLACED: gettext_lazy("Replaced"),
    Action.UID_REPLACED: gettext_lazy("Identifier (UID) replaced"),
    Action.DATE_SHIFTED: gettext_lazy("Date moved by the patient's offset"),
    Action.KEPT: gettext_lazy("Kept"),
}
REASON_LABELS = {
    Reason.PROFILE: gettext_lazy("DICOM confidentiality profile"),
    Reason.PRIVATE: gettext_lazy("private to the manufacturer, not known to be safe"),
    Reason.OVERLAY_OR_CURVE: gettext_lazy("overlays and curves can carry text"),
    Reason.PATIENT_CHARACTERISTICS: gettext_lazy("age, sex, size and weight are needed for the opinion"),
    Reason.DEVICE_IDENTITY: gettext_lazy("the device's identity is not kept"),
    Reason.MODIFIED_DATES: gettext_lazy("intervals kept, calendar dates moved"),
    Reason.IDENTIFIER_FOUND: gettext_lazy("it contained the patient's name, number or another identifier"),
    Reason.UNKNOWN_VR: gettext_lazy("of a type that cannot be checked"),
    Reason.SAFE_PRIVATE: gettext_lazy("private, on the list of values known to be safe"),
    Reason.PSEUDONYM: gettext_lazy("the case code stands in for the patient"),
    Reason.NOT_IN_PROFILE: gettext_lazy("technical, carries no identifier"),
    **DEID_REASON_LABELS,  # the allow-lists' reasons, with imaging.messages' other explanations
}
MASKED_LABEL = gettext_lazy("Text masked")
MAX_ANNOTATION_TEXT = 300


def waiting_studies(user: User, case: Case | None = None) -> QuerySet[Study]:
    """Studies a scanner, PACS or DICOMweb client sent to the user's hospital, not yet on a case
    (for a case: those of its hospital, the only ones it can take)."""
    studies = Study.objects.filter(case__isnull=True, institution__in=referring_team_institutions(user))
    if case is not None:
        studies = studies.filter(institution=case.referring_institution_id)
    return studies.prefetch_related("series")


def _require_managing(access: ImagingAccess) -> None:
    if not access.manages:
        raise ActionError(_("Only the referring team can do this."), code="forbidden", status=403)


def _require_open(access: ImagingAccess) -> None:
    if access.case_access.case.status == Status.CLOSED:
        raise ActionError(_("This consultation is closed."), code="closed", status=409)


def start_batch(access: ImagingAccess) -> UploadBatch:
    """A batch groups one patient's files sent to the case in one go (see imaging/tus.py)."""
    _require_managing(access)
    _require_open(access)
    return UploadBatch.objects.create(case=access.case_access.case, user=access.user)


@transaction.atomic
def attach_study(access: ImagingAccess, study_id: int, request: HttpRequest | None = None) -> Study:
    _require_managing(access)
    _require_open(access)
    case = access.case_access.case
    study = (
        Study.objects.select_for_update()
        .filter(pk=study_id, case__isnull=True, institution=case.referring_institution)
        .first()
    )
    if study is None:
        raise ActionError(
            _("This study is not waiting at your hospital: it may have been attached already."),
            code="not_waiting",
            status=404,
        )
    other_patient = (
        Study.objects.filter(case=case).exclude(patient_fingerprint=study.patient_fingerprint).exists()
    )
    if other_patient:
        raise ActionError(
            _("This study is of another patient than the imaging already on this case."),
            code="another_patient",
            status=409,
        )
    study.case = case
    study.save(update_fields=["case"])
    transaction.on_commit(partial(restamp_study.enqueue, study.pk))
    acts.record_on_case(acts.IMAGING_ATTACHED, case, access.user, request, study=study.pk)
    return study


def _managed_series(access: ImagingAccess, series_id: int) -> Series:
    _require_managing(access)
    series = access.series().filter(pk=series_id).first()
    if series is None:
        raise ActionError(_("No such series on this case."), code="not_found", status=404)
    return series


def review_series(
    access: ImagingAccess, series_id: int, *, share: bool, request: HttpRequest | None = None
) -> Series:
    """The referrer has looked at every image: nothing identifies the patient (share) or
    something might (exclude). Excluding is also how a referrer holds back any series."""
    series = _managed_series(access, series_id)
    _require_open(access)
    if share and series.suspicions and series.instances.filter(frames__gt=1).exists():
        # The viewer shows the first frame of each object; the others would leave unseen.
        raise ActionError(
            _(
                "This series holds multi-frame images whose frames cannot all be checked here: "
                "hold it back, or send the frames as separate images."
            ),
            code="multi_frame",
            status=409,
        )
    masked = []
    if share and series.suspicions:
        # Before the review counts: should masking fail, the series still waits.
        masked = mask_text(series)
        series.refresh_from_db(fields=["report"])
    series.excluded = not share
    if series.suspicions:
        series.reviewed_at = timezone.now()
        series.reviewed_by = access.user
    series.save(update_fields=["excluded", "reviewed_at", "reviewed_by"])
    if masked:
        queue_renderings({series.pk})  # the cached ones showed the text; see services.mask_text
    action = acts.IMAGING_REVIEWED if share else acts.IMAGING_EXCLUDED
    detail = (
        {"masked_images": len(masked), "masked_regions": sum(m.regions for m in masked)} if masked else {}
    )
    acts.record_on_case(action, access.case_access.case, access.user, request, series=series.pk, **detail)
    return series


def share_study(access: ImagingAccess, study_id: int, request: HttpRequest | None = None) -> Study:
    """Make the study's shareable series visible to the consultants of the case."""
    _require_managing(access)
    _require_open(access)
    study = access.studies().filter(pk=study_id).first()
    if study is None:
        raise ActionError(_("No such study on this case."), code="not_found", status=404)
    series = list(study.series.all())
    if not any(s.shareable for s in series):
        raise ActionError(
            _("Nothing in this study can be shared yet: review the series marked for review first."),
            code="nothing_shareable",
            status=409,
        )
    if study.shared_at is None:
        study.shared_at = timezone.now()
        study.shared_by = access.user
        study.save(update_fields=["shared_at", "shared_by"])
        shared = [s.pk for s in series if s.shareable]
        acts.record_on_case(
            acts.IMAGING_SHARED, access.case_access.case, access.user, request, study=study.pk, series=shared
        )
    return study


def record_originals_downloaded(
    access: ImagingAccess, series: Series, request: HttpRequest | None = None
) -> None:
    """The identifiable originals of a series leave the platform: who, which series, from where.
    The caller has checked `access.may_download_originals`."""
    acts.record_on_case(
        acts.ORIGINAL_DOWNLOADED,
        access.case_access.case,
        access.user,
        request,
        series=series.pk,
        abroad=access.abroad,
    )


def record_stow_received(batch: Batch, request: HttpRequest | None = None) -> None:
    """The studies a STOW-RS request brought, one entry each (as for uploads and the node)."""
    acts.record_received(
        batch.stored,
        source=Study.Source.STOW.value,
        institution=batch.institution,
        actor=batch.user,
        request=request,
    )


@dataclass(frozen=True)
class ReportLine:
    attribute: str
    action: str
    reason: str
    detail: str = ""  # "2 words removed": a count, the words themselves are never kept


@dataclass(frozen=True)
class DeidSummary:
    counts: list[tuple[str, int]]  # (action label, number of attributes)
    lines: list[ReportLine]
    suspicions: list[str]
    masked_images: int = 0  # images whose text was masked in the shared copy
    masked_regions: int = 0


def deid_summary(series: Series) -> DeidSummary:
    """What de-identification did to this series, in words the referrer can check."""
    counted: Counter[str] = Counter()
    lines = []
    actions = {a.value: label for a, label in ACTION_LABELS.items()}
    reasons = {r.value: label for r, label in REASON_LABELS.items()}
    masked_images = masked_regions = 0
    for path, (action, reason, *more) in sorted(series.report.items()):
        if action == MASKED:  # [masked, why, regions]: see services.mask_text
            regions = int(more[0]) if more else 0
            masked_images, masked_regions = masked_images + 1, masked_regions + regions
            action_label = str(MASKED_LABEL)
            reason_label = ngettext(
                "%(n)s region of text filled with black in the shared copy (%(why)s)",
                "%(n)s regions of text filled with black in the shared copy (%(why)s)",
                regions,
            ) % {"n": regions, "why": MASK_REASON_LABELS.get(reason, reason)}
            detail = ""
        else:
            action_label = str(actions.get(action, action))
            reason_label = str(reasons.get(reason, reason))
            detail = explain_words_removed(int(more[0])) if more else ""
        counted[action_label] += 1
        lines.append(ReportLine(attribute=path, action=action_label, reason=reason_label, detail=detail))
    return DeidSummary(
        counts=sorted(counted.items(), key=lambda item: -item[1]),
        lines=lines,
        suspicions=[
            str({k.value: v for k, v in SUSPICION_LABELS.items()}.get(s, s)) for s in series.suspicions
        ],
        masked_images=masked_images,
        masked_regions=masked_regions,
    )


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _points(value: object, needed: int, instance: Instance) -> list[list[float]]:
    if not isinstance(value, list) or len(value) != needed:
        raise ActionError(_("The annotation's position is missing."), code="invalid")
    points = []
    for point in value:
        if (
            not isinstance(point, list | tuple)
            or len(point) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) and _finite(v) for v in point)
        ):
            raise ActionError(_("The annotation's position is missing."), code="invalid")
        x, y = float(point[0]), float(point[1])
        if not (0 <= x <= instance.series.columns and 0 <= y <= instance.series.rows):
            raise ActionError(_("The annotation is outside the image."), code="invalid")
        points.append([round_tenth(x), round_tenth(y)])  # as the viewer rounds them
    return points


def distance_mm(series: Series, points: list[list[float]]) -> float | None:
    """Distance between two pixel positions in millimetres, to a tenth, as the viewer shows it
    before saving (imaging.geometry: one computation, one rounding); None without a spacing."""
    return geometry.distance_mm(points, series.pixel_spacing_row, series.pixel_spacing_column)


def annotate(
    access: ImagingAccess,
    instance: Instance,
    *,
    kind: str,
    points: object = None,
    text: str = "",
    request: HttpRequest | None = None,
) -> Annotation:
    """Consultants and the referring team may leave marks; what they say is checked like any
    text on the case (no identifiers)."""
    case_access = access.case_access
    if not (access.manages or case_access.is_answering_consultant):
        raise ActionError(
            _("Only the referring team and the case's consultants can annotate."),
            code="forbidden",
            status=403,
        )
    _require_open(access)
    if kind not in Annotation.Kind.values:
        raise ActionError(_("Unknown kind of annotation."), code="invalid")
    text = (text or "").strip()
    if len(text) > MAX_ANNOTATION_TEXT:
        raise ActionError(
            _("Keep the text under %(n)s characters.") % {"n": MAX_ANNOTATION_TEXT}, code="invalid"
        )
    millimetres = None
    if kind == Annotation.Kind.KEY:
        existing = Annotation.objects.filter(instance=instance, kind=kind, author=access.user).first()
        if existing is not None:
            return existing  # marking a key image twice keeps one mark
        clean_points: list[list[float]] = []
    elif kind == Annotation.Kind.TEXT:
        if not text:
            raise ActionError(_("Write the text of the note."), code="invalid")
        clean_points = _points(points, 1, instance)
    else:
        clean_points = _points(points, 2, instance)
        if kind == Annotation.Kind.DISTANCE:
            millimetres = distance_mm(instance.series, clean_points)
    if text:
        _refuse_identifiers(access, text)
    annotation = Annotation.objects.create(
        instance=instance,
        author=access.user,
        kind=kind,
        points=clean_points,
        text=text,
        millimetres=millimetres,
    )
    acts.record_on_case(
        acts.ANNOTATION_ADDED, case_access.case, access.user, request, instance=instance.pk, kind=kind
    )
    return annotation


def _refuse_identifiers(access: ImagingAccess, text: str) -> None:
    # The same check as every text written on a case (names, numbers, phones, calendar dates).
    refuse_identifiers_in_case_text(access.case_access.case, {"text": text}, author_in_team=access.manages)


def remove_annotation(access: ImagingAccess, instance: Instance, annotation_id: int) -> None:
    # The annotation must be on the image the address names: an id guessed under another image
    # is refused like any other.
    annotation = Annotation.objects.filter(
        pk=annotation_id, author=access.user, instance=instance, instance__in=access.instances()
    ).first()
    if annotation is None:
        raise ActionError(_("Only its author can remove an annotation."), code="forbidden", status=404)
    _require_open(access)
    annotation.delete()
