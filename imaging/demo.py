"""Demonstration imaging, de-identified through the real ingest (`imaging.services.receive`, the
path a hospital's upload takes).

On every machine the first demo case gets a synthetic head CT (`lib.phantom`: a numerical
phantom with the left temporal extradural haematoma and midline shift its referral describes),
shared with the consultants, so a fresh clone shows the viewer. The phantom is preferred even
where the public test CT (../shared/data/dicom/, BSD-licensed dcm_qa_ct) is present: it matches
the case's story, it is the same demo everywhere, and it says in its header and in the viewer
that it is not a patient. Where the public test CT is there, its real head CT also arrives at
the hospital as a scanner would send it, waiting to be attached; the tests and benchmarks keep
reading the real CT from that folder themselves."""

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
from lib import phantom

HEAD_CT = "ge-head-ct"
SCANNER = "DEMO_CT"


def demo_data_folder() -> Path:
    return Path(settings.DEMO_DICOM_DIR)


@transaction.atomic
def load_demo() -> str:
    """Attach and share the synthetic CT on the first demo case, and leave the public head CT
    (when present) waiting at the hospital. Returns what was done, for the command's output."""
    if Study.objects.exists():
        return "demo imaging already loaded"
    case = Case.objects.filter(identity__full_name="Demo Patient A").select_related("created_by").first()
    if case is None:
        return "no demo imaging: the demo cases are missing"
    referrer = case.created_by
    institution = Institution.objects.get(pk=case.referring_institution_id)
    upload = Batch(institution=institution, source=Study.Source.UPLOAD, case=case, user=referrer)
    for name, data in phantom.files():
        receive(upload, data, name)
    access = ImagingAccess(user=referrer, case_access=case_access(referrer, case))
    for study in Study.objects.filter(case=case):
        for series in study.series.all():
            if series.awaits_review:
                actions.review_series(access, series.pk, share=True)
        actions.share_study(access, study.pk)
    done = [f"demo imaging: {len(upload.stored)} slices of a synthetic head CT shared on {case.code}"]
    stored = list(upload.stored)
    folder = demo_data_folder() / HEAD_CT
    if folder.is_dir():
        DicomSender.objects.get_or_create(
            ae_title=SCANNER,
            defaults={"institution": institution, "description": "Demo: the CT scanner of the demo hospital"},
        )
        scanner = Batch(institution=institution, source=Study.Source.NODE, received_from=SCANNER)
        for path in sorted(folder.glob("*.dcm")):
            receive(scanner, path.read_bytes(), path.name)
        stored += scanner.stored
        done.append(f"{len(scanner.stored)} slices of the public head CT waiting at {institution.short_code}")
    else:
        done.append(f"(no public test CT at {folder.parent}: no study waits from a scanner)")
    queue_renderings({instance.series_id for instance in stored})
    return ", ".join(done)
