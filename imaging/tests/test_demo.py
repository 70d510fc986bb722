"""The demo's imaging goes through the real ingest. On a fresh clone (no ../shared/) the first
demo case gets the synthetic head CT, shared, in the viewer; where the public test CT is there,
its head CT also waits at the hospital as a scanner would send it."""

from __future__ import annotations

import pydicom
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from consultations.models import Case
from imaging.models import DicomSender, Instance, Study
from imaging.services import Batch, receive
from imaging.tests.data import DICOM_DATA, needs_data
from lib import phantom
from neurodaraja.testing.personas import sign_in

SLICES = len(phantom.files())


@pytest.fixture
def fresh_clone(db, settings, tmp_path):
    """A machine without ../shared/: the public test CT is nowhere."""
    settings.DEMO_MODE = True
    settings.DEMO_DICOM_DIR = tmp_path / "no-shared-folder"
    return settings


def demo_case() -> Case:
    return Case.objects.get(identity__full_name="Demo Patient A")


def test_on_a_fresh_clone_the_first_case_gets_the_synthetic_ct_shared_through_the_ingest(fresh_clone, capsys):
    call_command("loaddemo")
    out = capsys.readouterr().out
    case = demo_case()
    study = Study.objects.get()
    assert study.case == case and study.source == Study.Source.UPLOAD and study.shared_at is not None
    assert f"{SLICES} slices of a synthetic head CT shared on {case.code}" in out
    assert "no demo imaging" not in out
    instances = Instance.objects.filter(series__study=study).order_by("number")
    assert instances.count() == SLICES
    assert not DicomSender.objects.exists()  # no scanner, no waiting study, on a fresh clone
    # Ingest's two copies: the shared one under the case code, the original kept at home.
    shared = pydicom.dcmread(default_storage.open(instances[0].file.name, "rb"))
    assert str(shared.PatientName) == case.code and shared.PatientIdentityRemoved == "YES"
    original = pydicom.dcmread(default_storage.open(instances[0].original.name, "rb"))
    assert str(original.PatientName) == phantom.PATIENT_NAME
    assert shared.SOPInstanceUID != original.SOPInstanceUID  # new UIDs, as for any upload


def test_the_referrer_and_the_consultant_see_the_synthetic_ct_on_the_case_and_in_the_viewer(fresh_clone):
    call_command("loaddemo")
    case = demo_case()
    series = Study.objects.get().series.get()
    viewer = reverse("imaging:viewer", args=[case.code, series.pk])
    consultant = case.assignments.get().consultant
    for person in (case.created_by, consultant):
        client = sign_in(Client(), person)
        page = client.get(reverse("consultations:case", args=[case.code]))
        assert page.status_code == 200 and viewer in page.content.decode()
        assert client.get(viewer).status_code == 200


def test_loading_the_demo_again_changes_nothing(fresh_clone, capsys):
    call_command("loaddemo")
    counts = (Study.objects.count(), Instance.objects.count())
    call_command("loaddemo")
    assert (Study.objects.count(), Instance.objects.count()) == counts
    assert "demo imaging already loaded" in capsys.readouterr().out


@needs_data()
def test_with_the_public_test_ct_its_head_ct_also_waits_at_the_hospital(db, settings, capsys):
    settings.DEMO_MODE = True
    settings.DEMO_DICOM_DIR = DICOM_DATA
    call_command("loaddemo")
    shared = Study.objects.get(case__isnull=False)
    assert shared.case.identity.full_name == "Demo Patient A" and shared.shared_at is not None
    assert Instance.objects.filter(series__study=shared).count() == SLICES  # the synthetic CT
    waiting = Study.objects.get(case__isnull=True)
    assert waiting.source == Study.Source.NODE and waiting.received_from == "DEMO_CT"
    assert Instance.objects.filter(series__study=waiting).count() == 28
    assert DicomSender.objects.filter(ae_title="DEMO_CT").exists()
    assert "28 slices of the public head CT waiting at SRRH" in capsys.readouterr().out


def test_the_synthetic_ct_on_two_cases_is_two_studies_not_the_same_images_sent_twice(cast, make_case):
    # Its UIDs were once fixed: the second case's slices were taken for the first's sent again.
    cases = [make_case(), make_case()]
    for case in cases:
        batch = Batch(
            institution=case.referring_institution, source=Study.Source.UPLOAD, case=case, user=cast.referrer
        )
        for name, data in phantom.files():
            receive(batch, data, name)
        assert len(batch.stored) == SLICES and batch.duplicates == 0
    studies = [Study.objects.get(case=case) for case in cases]
    assert studies[0].study_uid != studies[1].study_uid
    for study in studies:
        assert Instance.objects.filter(series__study=study).count() == SLICES
