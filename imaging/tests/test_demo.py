"""The demo loads public test CT through the real ingest: shared on one case, waiting at the
hospital as a scanner would send it."""

from __future__ import annotations

from django.core.management import call_command

from imaging.models import DicomSender, Instance, Study
from imaging.tests.data import DICOM_DATA, needs_data

pytestmark = needs_data()


def test_the_demo_shares_the_phantom_and_leaves_the_head_ct_waiting_once(db, settings):
    settings.DEMO_MODE = True
    settings.DEMO_DICOM_DIR = DICOM_DATA
    call_command("loaddemo")
    shared = Study.objects.get(case__isnull=False)
    assert shared.shared_at is not None and shared.case.identity.full_name == "Demo Patient A"
    assert Instance.objects.filter(series__study=shared).count() == 70  # every second phantom slice
    waiting = Study.objects.get(case__isnull=True)
    assert waiting.source == Study.Source.NODE and waiting.received_from == "DEMO_CT"
    assert DicomSender.objects.filter(ae_title="DEMO_CT").exists()
    counts = Instance.objects.count()
    call_command("loaddemo")
    assert Instance.objects.count() == counts


def test_without_the_test_ct_the_demo_still_loads(db, settings, tmp_path, capsys):
    settings.DEMO_MODE = True
    settings.DEMO_DICOM_DIR = tmp_path / "nowhere"
    call_command("loaddemo")
    assert "no demo imaging" in capsys.readouterr().out
    assert not Study.objects.exists()
