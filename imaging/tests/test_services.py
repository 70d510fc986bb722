"""Receiving studies: stored twice (de-identified and original), deduplicated, one patient per batch."""

from __future__ import annotations

import hashlib

import pydicom
import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from imaging.ingest import IngestError, Refusal
from imaging.messages import explain
from imaging.models import DateShift, Instance, Series, Study
from imaging.services import Batch, receive
from imaging.tests.data import GE_HEAD_CT, PHILIPS_HEAD, needs_data
from lib.deid.dicom import Action

pytestmark = needs_data()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def batch_for(cast, case=None, institution="SRRH", source=Study.Source.UPLOAD) -> Batch:
    return Batch(institution=cast.institutions[institution], source=source, case=case, user=cast.referrer)


def test_a_series_is_stored_de_identified_and_its_original_kept_apart(cast, make_case):
    case = make_case(send=True)
    batch = batch_for(cast, case)
    for path in sorted(GE_HEAD_CT.glob("*.dcm"))[:5]:
        receive(batch, path.read_bytes(), path.name)
    assert len(batch.stored) == 5 and batch.skipped == []
    study = Study.objects.get()
    assert study.case == case and study.series.count() == 1
    instance = Instance.objects.first()
    with default_storage.open(instance.file.name, "rb") as stored:
        data = stored.read()
    assert hashlib.sha256(data).hexdigest() == instance.sha256
    stored_ds = pydicom.dcmread(default_storage.open(instance.file.name, "rb"))
    assert stored_ds.PatientName == case.code and stored_ds.StudyInstanceUID == study.study_uid
    original = pydicom.dcmread(default_storage.open(instance.original.name, "rb"))
    assert original.SOPInstanceUID == instance.original_sop_uid != instance.sop_uid
    assert instance.size < instance.original_size / 3  # JPEG-LS


def test_the_case_patients_name_is_looked_for_in_the_headers(cast, make_case):
    case = make_case(send=True)
    full_name = case.identity.full_name
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    ds.ImageComments = f"for {full_name}"
    ds.ConvolutionKernel = full_name.split()[0]
    import io

    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    receive(batch_for(cast, case), buffer.getvalue())
    stored = pydicom.dcmread(default_storage.open(Instance.objects.get().file.name, "rb"))
    assert "ImageComments" not in stored and stored.ConvolutionKernel == "REMOVED"


def test_a_resend_is_deduplicated_and_nothing_is_lost(cast, make_case):
    case = make_case(send=True)
    data = (GE_HEAD_CT / "01.dcm").read_bytes()
    first = batch_for(cast, case)
    receive(first, data)
    again = batch_for(cast, case)
    assert receive(again, data) is None
    assert again.duplicates == 1 and Instance.objects.count() == 1


def test_two_patients_in_one_upload_are_stopped_and_the_first_is_kept(cast, make_case):
    case = make_case(send=True)
    batch = batch_for(cast, case)
    receive(batch, (GE_HEAD_CT / "01.dcm").read_bytes())
    with pytest.raises(IngestError) as refused:
        receive(batch, (PHILIPS_HEAD / "I10").read_bytes(), "I10")
    assert refused.value.refusal is Refusal.ANOTHER_PATIENT
    assert "another patient" in explain(refused.value)
    assert Instance.objects.count() == 1 and batch.skipped[0][0] == "I10"


def test_a_later_upload_of_another_patient_to_the_same_case_is_refused(cast, make_case):
    case = make_case(send=True)
    receive(batch_for(cast, case), (GE_HEAD_CT / "01.dcm").read_bytes())
    with pytest.raises(IngestError) as refused:
        receive(batch_for(cast, case), (PHILIPS_HEAD / "I10").read_bytes(), "I10")
    assert refused.value.refusal is Refusal.NOT_THIS_PATIENT
    assert "another patient than the imaging already on this case" in explain(refused.value)
    assert Study.objects.get().case == case and Instance.objects.count() == 1


def test_images_sent_to_a_case_while_they_wait_from_the_scanner_bring_their_study_to_the_case(
    cast, make_case
):
    waiting = batch_for(cast, source=Study.Source.NODE)
    receive(waiting, (GE_HEAD_CT / "01.dcm").read_bytes())
    receive(waiting, (GE_HEAD_CT / "02.dcm").read_bytes())
    case = make_case(send=True)
    upload = batch_for(cast, case)
    assert receive(upload, (GE_HEAD_CT / "01.dcm").read_bytes()) is None  # not stored twice
    assert upload.duplicates == 1
    assert Study.objects.get().case == case and Instance.objects.count() == 2


def test_each_patient_gets_one_date_offset_kept_for_their_later_studies(cast, make_case):
    case = make_case(send=True)
    receive(batch_for(cast, case), (GE_HEAD_CT / "01.dcm").read_bytes())
    receive(batch_for(cast, case), (GE_HEAD_CT / "02.dcm").read_bytes())
    shift = DateShift.objects.get()
    assert -3650 <= shift.days <= -365
    original = pydicom.dcmread(GE_HEAD_CT / "01.dcm").get("StudyDate")
    study = Study.objects.get()
    if original:
        assert study.study_date != original


def test_a_study_cannot_move_to_another_case_or_hospital(cast, make_case):
    data = (GE_HEAD_CT / "01.dcm").read_bytes()
    receive(batch_for(cast, make_case(send=True)), data)
    other = (GE_HEAD_CT / "02.dcm").read_bytes()
    with pytest.raises(IngestError) as refused:
        receive(batch_for(cast, make_case(send=True)), other)
    assert refused.value.refusal is Refusal.ON_ANOTHER_CASE
    with pytest.raises(IngestError) as refused:
        receive(batch_for(cast, None, institution="MUHAS"), other)
    assert refused.value.refusal is Refusal.ANOTHER_INSTITUTION
    assert Instance.objects.count() == 1


def test_a_node_study_waits_without_a_case_and_the_report_is_kept_per_series(cast):
    batch = batch_for(cast, None, source=Study.Source.NODE)
    batch.received_from = "STRH_CT01"
    receive(batch, (PHILIPS_HEAD / "I10").read_bytes())
    study = Study.objects.get()
    assert study.case is None and study.received_from == "STRH_CT01"
    series = Series.objects.get()
    assert series.report["PatientName"] == [Action.REPLACED.value, "pseudonym"]
    assert series.suspicions == [] and series.shareable


def test_a_suspicious_series_waits_for_review(cast, make_case):
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    ds.BurnedInAnnotation = "YES"
    import io

    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    receive(batch_for(cast, make_case(send=True)), buffer.getvalue())
    series = Series.objects.get()
    assert series.suspicions == ["burned_in_annotation"] and series.awaits_review and not series.shareable


def test_a_broken_file_is_refused_with_a_message_and_stores_nothing(cast, make_case):
    batch = batch_for(cast, make_case(send=True))
    with pytest.raises(IngestError) as refused:
        receive(batch, (GE_HEAD_CT / "01.dcm").read_bytes()[:20000], "01.dcm")
    assert "incomplete" in explain(refused.value)
    assert Instance.objects.count() == 0 and Study.objects.count() == 0


def test_an_image_already_held_by_another_hospital_is_refused_not_counted_as_here(cast, make_case):
    data = (GE_HEAD_CT / "01.dcm").read_bytes()
    receive(batch_for(cast, institution="KCMC", source=Study.Source.NODE), data)
    with pytest.raises(IngestError) as refused:
        receive(batch_for(cast, make_case(send=True)), data)
    assert refused.value.refusal is Refusal.ANOTHER_INSTITUTION


def test_a_new_image_that_needs_a_look_undoes_the_review_of_its_series(cast, make_case):
    import io

    case = make_case(send=True)
    first = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    first.BurnedInAnnotation = "YES"
    buffer = io.BytesIO()
    first.save_as(buffer, enforce_file_format=True)
    receive(batch_for(cast, case), buffer.getvalue())
    series = Series.objects.get()
    Series.objects.filter(pk=series.pk).update(reviewed_at=timezone.now())
    later = pydicom.dcmread(GE_HEAD_CT / "02.dcm")
    later.BurnedInAnnotation = "YES"  # the same reason, a new image nobody has looked at
    buffer = io.BytesIO()
    later.save_as(buffer, enforce_file_format=True)
    receive(batch_for(cast, case), buffer.getvalue())
    assert Series.objects.get().awaits_review


def test_a_description_that_says_screen_capture_flags_the_image_even_though_it_is_removed(cast, make_case):
    import io

    ds = pydicom.dcmread(GE_HEAD_CT / "03.dcm")
    ds.SeriesDescription = "SCREEN SAVE Amina Juma Mollel 12/03/2026"  # removed by de-identification
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    receive(batch_for(cast, make_case(send=True)), buffer.getvalue())
    series = Series.objects.get()
    assert "screen_or_dose_report" in series.suspicions
    assert "Amina" not in series.description
