"""Imaging pages of a case: studies and uploads, review and sharing, the viewer and what it loads.

Thin views: who may do what is in imaging.access, what is done in imaging.actions.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.errors import ActionError
from imaging import actions, renderings
from imaging import audit_actions as acts
from imaging.access import ImagingAccess, imaging_access, instance_for, series_for
from imaging.api import upload_out
from imaging.geometry import edge_letters
from imaging.models import Annotation, Instance, Series, Upload, UploadBatch
from imaging.queries import more_to_come, sharing_state
from imaging.render import PRESETS
from imaging.renderings import preset_window
from imaging.services import remember_orientation
from tools_path import TOOLS

PRESET_LABELS = {
    "brain": gettext_lazy("Brain"),
    "subdural": gettext_lazy("Subdural"),
    "stroke": gettext_lazy("Stroke"),
    "bone": gettext_lazy("Bone"),
}
SCANNER_LABEL = gettext_lazy("Scanner's window")
# The letters at the image's edges, as CT viewers print them; the words for screen readers.
ORIENTATION_LETTERS = {
    "R": (pgettext_lazy("patient orientation", "R"), gettext_lazy("the patient's right")),
    "L": (pgettext_lazy("patient orientation", "L"), gettext_lazy("the patient's left")),
    "A": (pgettext_lazy("patient orientation", "A"), gettext_lazy("the front of the patient")),
    "P": (pgettext_lazy("patient orientation", "P"), gettext_lazy("the back of the patient")),
    "H": (pgettext_lazy("patient orientation", "H"), gettext_lazy("the patient's head")),
    "F": (pgettext_lazy("patient orientation", "F"), gettext_lazy("the patient's feet")),
}
RENDER_CACHE = "private, max-age=604800"  # a stored slice never changes...
# ...except a flagged one, masked once when the referrer lets it go: its renderings are checked
# with the browser each time (an ETag of the stored copy), so a cached unmasked one is not shown.
FLAGGED_RENDER_CACHE = "private, no-cache"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _imaging_url(code: str) -> str:
    return reverse("imaging:case", args=[code])


def _presets(series: Series | None = None) -> list[dict[str, Any]]:
    """The CT windows, and the scanner's own window: first for MRI and anything else that is not
    in Hounsfield units, where the CT windows show a white or black image."""
    presets = [
        {"name": name, "label": str(PRESET_LABELS[name]), "center": w.center, "width": w.width}
        for name, w in PRESETS.items()
    ]
    if series is None:
        return presets
    middle = renderings.thumbnail_source(series)
    own = preset_window(middle, "default") if middle is not None else PRESETS["brain"]
    scanner = {"name": "default", "label": str(SCANNER_LABEL), "center": own.center, "width": own.width}
    return [*presets, scanner] if series.modality == "CT" else [scanner, *presets]


@login_required
@require_GET
def case_imaging(request: HttpRequest, code: str) -> HttpResponse:
    access = imaging_access(_user(request), code)
    case = access.case_access.case
    studies = []
    counted = Series.objects.annotate(instance_count=Count("instances"))  # counts, not every row
    for study in access.studies().prefetch_related(Prefetch("series", queryset=counted)):
        visible = [s for s in study.series.all() if access.manages or s.shareable]
        studies.append(
            {
                "study": study,
                "series": [
                    {
                        "series": s,
                        "count": s.instance_count,  # type: ignore[attr-defined]  # annotated in the prefetch
                        "summary": actions.deid_summary(s) if access.manages else None,
                        "viewer_url": reverse("imaging:viewer", args=[case.code, s.pk]),
                        "thumbnail_url": reverse("imaging:thumbnail", args=[case.code, s.pk]),
                    }
                    for s in visible
                ],
                "shareable": any(s.shareable for s in study.series.all()),
                "awaiting_review": [s for s in study.series.all() if s.awaits_review],
            }
        )
    if studies:
        acts.record_imaging_read(acts.IMAGING_LIST_READ, access, request, studies=len(studies))
    context = {
        "access": access,
        "case": case,
        "studies": studies,
        "waiting": list(actions.waiting_studies(access.user, case)) if access.manages else [],
        "can_upload": access.manages and not case.is_closed,  # drafts too: shared when sent
        "sharing": None if access.manages else sharing_state(access),
        "more": None if access.manages or not studies else more_to_come(access),
        "batch_url": reverse("imaging:batches", args=[case.code]),
    }
    return render(request, "imaging/case_imaging.html", context)


def _act(request: HttpRequest, code: str, done: str, action: Any) -> HttpResponse:
    access = imaging_access(_user(request), code)
    try:
        action(access)
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(_imaging_url(access.case_access.case.code))


def _posted_id(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404 from None


@login_required
@require_POST
def attach(request: HttpRequest, code: str) -> HttpResponse:
    study_id = _posted_id(request, "study")
    return _act(
        request,
        code,
        _("Study attached to the case."),
        lambda access: actions.attach_study(access, study_id, request),
    )


@login_required
@require_POST
def review(request: HttpRequest, code: str, series_id: int) -> HttpResponse:
    share = request.POST.get("decision") == "share"
    return _act(
        request,
        code,
        _("Series marked as safe to share.") if share else _("Series held back: it will not be shared."),
        lambda access: actions.review_series(access, series_id, share=share, request=request),
    )


@login_required
@require_POST
def share(request: HttpRequest, code: str, study_id: int) -> HttpResponse:
    return _act(
        request,
        code,
        _("Study shared with the consultants of this case."),
        lambda access: actions.share_study(access, study_id, request),
    )


@login_required
@require_GET
def deid_report(request: HttpRequest, code: str, series_id: int) -> HttpResponse:
    access = imaging_access(_user(request), code)
    if not access.manages:
        raise Http404
    series = series_for(access, series_id)
    return render(
        request,
        "imaging/deid_report.html",
        {"case": access.case_access.case, "series": series, "summary": actions.deid_summary(series)},
    )


@login_required
@require_POST
def start_batch(request: HttpRequest, code: str) -> JsonResponse:
    """The browser's upload batch (API clients use POST /api/v1/cases/{code}/upload-batches)."""
    access = imaging_access(_user(request), code)
    if not access.manages:
        raise Http404
    try:
        batch = actions.start_batch(access)
    except ActionError as error:
        return JsonResponse({"error": str(error.message)}, status=error.status)
    return JsonResponse(
        {
            "id": str(batch.pk),
            "upload_url": reverse("imaging:tus-uploads"),
            "status_url": reverse("imaging:batch", args=[code, batch.pk]),
        },
        status=201,
    )


@login_required
@require_GET
def batch_status(request: HttpRequest, code: str, batch_id: str) -> JsonResponse:
    access = imaging_access(_user(request), code)
    batch = UploadBatch.objects.filter(pk=batch_id, case=access.case_access.case).first()
    if not access.manages or batch is None:
        raise Http404
    uploads = list(batch.uploads.all())
    labels = dict(Upload.State.choices)
    return JsonResponse(
        {
            "uploads": [
                {**upload_out(u).model_dump(mode="json"), "state_label": str(labels.get(u.state, u.state))}
                for u in uploads
            ],
            # Still on its way or being processed: the page asks again in a moment.
            "pending": any(u.state not in (Upload.State.DONE, Upload.State.FAILED) for u in uploads),
        }
    )


# --- the viewer ------------------------------------------------------------------------------
@login_required
@require_GET
def viewer(request: HttpRequest, code: str, series_id: int) -> HttpResponse:
    access = imaging_access(_user(request), code)
    series = series_for(access, series_id)
    case = access.case_access.case
    acts.record_imaging_read(acts.IMAGING_RETRIEVED, access, request, series, what="series")
    series_list = []
    for s in access.series().filter(study__case=case).annotate(instance_count=Count("instances")):
        s.thumbnail_url = reverse("imaging:thumbnail", args=[case.code, s.pk])  # type: ignore[attr-defined]
        s.viewer_url = reverse("imaging:viewer", args=[case.code, s.pk])  # type: ignore[attr-defined]
        series_list.append(s)
    middle = renderings.thumbnail_source(series)
    presets = _presets(series)
    return render(
        request,
        "imaging/viewer.html",
        {
            "access": access,
            "case": case,
            "series": series,
            "series_list": series_list,
            "manifest_url": reverse("imaging:manifest", args=[case.code, series.pk]),
            "case_url": reverse("consultations:case", args=[case.code]),
            "imaging_url": _imaging_url(case.code),
            "can_annotate": _may_annotate(access),
            "presets": presets,
            "middle_url": reverse("imaging:render", args=[case.code, middle.pk, presets[0]["name"]])
            if middle
            else "",
        },
    )


def _may_annotate(access: ImagingAccess) -> bool:
    return (access.manages or access.case_access.is_answering_consultant) and access.case_access.case.is_open


def _annotation_json(annotation: Annotation, user: User, code: str) -> dict[str, Any]:
    return {
        "id": annotation.pk,
        "instance": annotation.instance_id,
        "kind": annotation.kind,
        "points": annotation.points,
        "text": annotation.text,
        "millimetres": annotation.millimetres,
        "author": annotation.author.full_name,
        "mine": annotation.author_id == user.pk,
        "delete_url": reverse(
            "imaging:annotation_delete", args=[code, annotation.instance_id, annotation.pk]
        ),
    }


def orientation_marks(series: Series) -> dict[str, dict[str, str]] | None:
    """The translated letters (and words) at each edge of the series' images, or None."""
    if not series.orientation:
        remember_orientation(series)
    edges = edge_letters(series.orientation or None)
    if edges is None:
        return None
    return {
        edge: {
            "letters": "".join(str(ORIENTATION_LETTERS[c][0]) for c in letters),
            "title": ", ".join(str(ORIENTATION_LETTERS[c][1]) for c in letters),
        }
        for edge, letters in edges.items()
    }


def _slice_spacing(positions: list[float | None]) -> float | None:
    known = [p for p in positions if p is not None]
    if len(known) < 2:
        return None
    return round(abs(known[-1] - known[0]) / (len(known) - 1), 3)


@login_required
@require_GET
def manifest(request: HttpRequest, code: str, series_id: int) -> JsonResponse:
    access = imaging_access(_user(request), code)
    series = series_for(access, series_id)
    case = access.case_access.case
    instances = list(series.instances.all())
    annotations = Annotation.objects.filter(instance__series=series).select_related("author")
    keys = {a.instance_id for a in annotations if a.kind == Annotation.Kind.KEY}
    base = f"/consultations/{case.code}/imaging/instances/{{id}}/"
    spacing = (
        [series.pixel_spacing_row, series.pixel_spacing_column]
        if series.pixel_spacing_row is not None
        else None
    )
    acts.record_imaging_read(acts.MANIFEST_READ, access, request, series)
    return JsonResponse(
        {
            "series": {
                "id": series.pk,
                "description": series.description,
                "modality": series.modality,
                "rows": series.rows,
                "columns": series.columns,
                "pixel_spacing": spacing,
                "slice_thickness": series.slice_thickness,
                "slice_spacing": _slice_spacing([i.slice_position for i in instances])
                or series.slice_thickness,
            },
            "instances": [
                {"id": i.pk, "number": i.number, "position": i.slice_position, "key": i.pk in keys}
                for i in instances
            ],
            "render_url": base + "{preset}.webp",
            "custom_url": base + "window.webp?center={center}&width={width}",
            "full_url": base + "window.png?center={center}&width={width}",
            "annotations_url": base + "annotations/",
            "orientation": orientation_marks(series),
            "annotations": [_annotation_json(a, access.user, case.code) for a in annotations],
            "can_annotate": _may_annotate(access),
            "presets": _presets(series),
        }
    )


def _image(data: bytes, content_type: str, request: HttpRequest, shown: Instance | None) -> HttpResponse:
    """A rendering of `shown` (the stored copy it was made from)."""
    if shown is None or not shown.series.suspicions:
        response = HttpResponse(data, content_type=content_type)
        response["Cache-Control"] = RENDER_CACHE
        return response
    etag = f'"{shown.sha256[:32]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = FLAGGED_RENDER_CACHE
    return response


@login_required
@require_GET
def rendered(request: HttpRequest, code: str, instance_id: int, preset: str) -> HttpResponse:
    if preset not in PRESETS and preset != "default":
        raise Http404
    access = imaging_access(_user(request), code)
    instance = instance_for(access, instance_id)
    data = renderings.rendering(instance, preset)
    acts.record_imaging_read(acts.SLICES_READ, access, request, instance.series)
    return _image(data, "image/webp", request, instance)


@login_required
@require_GET
def window(request: HttpRequest, code: str, instance_id: int, image_format: str) -> HttpResponse:
    if image_format not in ("png", "webp"):
        raise Http404
    access = imaging_access(_user(request), code)
    instance = instance_for(access, instance_id)
    try:
        center = float(request.GET["center"])
        width = float(request.GET["width"])
    except (KeyError, ValueError):
        return HttpResponse(_("Give the window's centre and width as numbers."), status=400)
    if not (-5000 <= center <= 30000 and 0 < width <= 70000):
        return HttpResponse(_("This window is outside the image's range."), status=400)
    lossless = image_format == "png"
    data = renderings.windowed(instance, renderings.free_window(center, width), lossless=lossless)
    # A WebP in any window is one more rendered slice; the lossless PNG is the full-quality read.
    acts.record_imaging_read(
        acts.FULL_QUALITY_READ if lossless else acts.SLICES_READ, access, request, instance.series
    )
    return _image(data, "image/png" if lossless else "image/webp", request, instance)


@login_required
@require_GET
def thumbnail(request: HttpRequest, code: str, series_id: int) -> HttpResponse:
    access = imaging_access(_user(request), code)
    series = series_for(access, series_id)
    data = renderings.thumbnail(series)
    if data is None:
        raise Http404
    acts.record_imaging_read(acts.THUMBNAIL_READ, access, request, series)
    return _image(data, "image/webp", request, renderings.thumbnail_source(series))


@login_required
@require_POST
def add_annotation(request: HttpRequest, code: str, instance_id: int) -> JsonResponse:
    access = imaging_access(_user(request), code)
    instance = instance_for(access, instance_id)
    try:
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("The annotation could not be read. Try again.")}, status=400)
    try:
        annotation = actions.annotate(
            access,
            instance,
            kind=str(body.get("kind", "")),
            points=body.get("points"),
            text=str(body.get("text") or ""),
            request=request,
        )
    except ActionError as error:
        return JsonResponse({"error": str(error.message)}, status=error.status)
    return JsonResponse(_annotation_json(annotation, access.user, code), status=201)


@login_required
@require_POST
def annotation_delete(request: HttpRequest, code: str, instance_id: int, annotation_id: int) -> HttpResponse:
    access = imaging_access(_user(request), code)
    instance = instance_for(access, instance_id)
    try:
        actions.remove_annotation(access, instance, annotation_id)
    except ActionError as error:
        return JsonResponse({"error": str(error.message)}, status=error.status)
    return HttpResponse(status=204)


@login_required
@require_GET
def uploader(request: HttpRequest) -> FileResponse:
    """The command-line uploader for hospital PCs (needs Python 3 with tuspy and requests)."""
    return FileResponse((TOOLS / "nd_upload.py").open("rb"), as_attachment=True, filename="nd_upload.py")


# --- originals -----------------------------------------------------------------------------
@login_required
@require_GET
def originals(request: HttpRequest, code: str, series_id: int) -> HttpResponse | FileResponse:
    """The series as the scanner made it (identifiable): for the referring team at home, and
    abroad only where IMAGING_ORIGINALS_ABROAD allows it; every download is audited."""
    access = imaging_access(_user(request), code)
    series = series_for(access, series_id)
    if not access.may_download_originals:
        raise Http404
    case = access.case_access.case
    actions.record_originals_downloaded(access, series, request)
    # Built on disk, not in memory: a series of originals is ~100 MB.
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 (handed to FileResponse, which closes it)
    with zipfile.ZipFile(spooled, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, instance in enumerate(series.instances.all(), start=1):
            with instance.original.open("rb") as source, archive.open(f"{number:04d}.dcm", "w") as target:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    target.write(chunk)
    spooled.seek(0, os.SEEK_SET)
    return FileResponse(spooled, as_attachment=True, filename=f"{case.code}-series-{series.pk}-originals.zip")
