"""Demonstration imaging: public test CT (a head phantom and an anonymised head CT from the
BSD-licensed dcm_qa_ct set in ../shared/data/dicom/), de-identified through the real ingest.
Skipped, with a message, where that folder is absent."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts.models import Institution
from consultations.access import case_access
from consultations.models import Case
from imaging import actions
from imaging.access import ImagingAccess
from imaging.models import DicomSender, Study
from imaging.services import Batch, receive
from imaging.tasks import queue_renderings

PHANTOM = "philips-head-phantom-brain"
HEAD_CT = "ge-head-ct"


def demo_data_folder() -> Path:
    return Path(settings.DEMO_DICOM_DIR)


@transaction.atomic
def load_demo() -> str:
    """Attach and share the phantom on the first demo case, and leave the head CT waiting at
    the hospital as a scanner would send it. Returns what was done, for the command's output."""
    folder = demo_data_folder()
    if not (folder / PHANTOM).is_dir() or not (folder / HEAD_CT).is_dir():
        return f"no demo imaging: the public test CT is not at {folder} (set DEMO_DICOM_DIR)"
    if Study.objects.exists():
        return "demo imaging already loaded"
    case = Case.objects.filter(identity__full_name="Demo Patient A").select_related("created_by").first()
    if case is None:
        return "no demo imaging: the demo cases are missing"
    referrer = case.created_by
    institution = Institution.objects.get(pk=case.referring_institution_id)
    DicomSender.objects.get_or_create(
        ae_title="DEMO_CT",
        defaults={"institution": institution, "description": "Demo: the CT scanner of the demo hospital"},
    )
    upload = Batch(institution=institution, source=Study.Source.UPLOAD, case=case, user=referrer)
    # Every second slice of the 1 mm phantom: a 2 mm series, quick to load in the demo.
    for path in sorted((folder / PHANTOM).glob("I*"), key=lambda p: int(p.name[1:]))[::2]:
        receive(upload, path.read_bytes(), path.name)
    access = ImagingAccess(user=referrer, case_access=case_access(referrer, case))
    for study in Study.objects.filter(case=case):
        for series in study.series.all():
            if series.awaits_review:
                actions.review_series(access, series.pk, share=True)
        actions.share_study(access, study.pk)
    scanner = Batch(institution=institution, source=Study.Source.NODE, received_from="DEMO_CT")
    for path in sorted((folder / HEAD_CT).glob("*.dcm")):
        receive(scanner, path.read_bytes(), path.name)
    queue_renderings({i.series_id for i in upload.stored + scanner.stored})
    return (
        f"demo imaging: {len(upload.stored)} phantom slices shared on {case.code}, "
        f"{len(scanner.stored)} head CT slices waiting at {institution.short_code}"
    )
