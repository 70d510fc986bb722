"""The DICOM node: a scanner sends with dcmtk's storescu, the node spools, the worker stores.

The node runs in a thread of the test process on a free port. That thread cannot see the test's
uncommitted rows on PostgreSQL, so it is given the allowed senders and its two hooks (a finished
association, a refused sender) as plain Python; the production hooks are tested on their own in
the test's thread, and the spool ingest runs there too.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pydicom
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
from pynetdicom import AE
from pynetdicom.sop_class import CTImageStorage  # type: ignore[attr-defined]

from core.models import AuditEntry
from imaging.models import DicomSender, Instance, Study
from imaging.node import SPOOL_META, Node
from imaging.node_tasks import (
    allowed_senders,
    audit_refused_sender,
    enqueue_ingest,
    ingest_spool,
    refused_root,
    spool_root,
)
from imaging.tests.data import GE_HEAD_CT, PHILIPS_HEAD, needs_data

NODE_AE = "NEURODARAJA"
STORESCU, ECHOSCU = shutil.which("storescu"), shutil.which("echoscu")
needs_dcmtk = pytest.mark.skipif(
    STORESCU is None or ECHOSCU is None,
    reason="dcmtk's storescu and echoscu are not installed (apt-get install dcmtk)",
)
# Identifiers planted into copies of the real CT: the published files were already blanked.
PLANTED = {
    "PatientName": "Mwakalinga^Neema^Joyce",
    "PatientID": "SRRH-2024-00731",
    "AccessionNumber": "ACC99812",
    "ReferringPhysicianName": "Massawe^Baraka",
}
PLANTED_BYTES = [b"Mwakalinga", b"Neema", b"SRRH-2024-00731", b"ACC99812", b"Massawe"]


@pytest.fixture(autouse=True)
def incoming(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGING_INCOMING_ROOT = tmp_path / "incoming"
    return tmp_path / "incoming"


@pytest.fixture(scope="module")
def planted_series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 28 GE slices with a patient's identifiers written in, as a scanner would send them."""
    folder = tmp_path_factory.mktemp("ge-planted")
    for source in sorted(GE_HEAD_CT.glob("*.dcm")):
        ds = pydicom.dcmread(source)
        for keyword, value in PLANTED.items():
            setattr(ds, keyword, value)
        ds.save_as(folder / source.name, enforce_file_format=True)
    return folder


def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the node")
        time.sleep(0.01)


@dataclass
class RunningNode:
    node: Node
    port: int
    senders: dict[str, int]
    completed: list[tuple[Path, str]] = field(default_factory=list)
    refused: list[tuple[str, str, int]] = field(default_factory=list)

    def send(self, *paths: Path, calling: str = "CTSCANNER", called: str = NODE_AE):
        return subprocess.run(  # noqa: S603 - dcmtk with our own arguments
            [
                str(STORESCU),
                "-v",  # says each store's status
                "-aet",
                calling,
                "-aec",
                called,
                "127.0.0.1",
                str(self.port),
                "+sd",
                *map(str, paths),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )

    def echo(self, calling: str = "CTSCANNER", called: str = NODE_AE):
        return subprocess.run(  # noqa: S603
            [str(ECHOSCU), "-aet", calling, "-aec", called, "127.0.0.1", str(self.port)],
            capture_output=True,
            text=True,
            timeout=60,
        )

    def folders(self, count: int) -> list[Path]:
        """The spool folders of the first `count` finished associations (the node hands a folder
        on just after answering the release, so storescu may exit a moment before)."""
        wait_for(lambda: len(self.completed) >= count)
        assert all(calling == "CTSCANNER" for _folder, calling in self.completed[:count])
        return [folder for folder, _calling in self.completed[:count]]


def start_node(
    senders: dict[str, int], on_complete: Callable[[Path, str], None] | None = None
) -> RunningNode:
    """A node on a free port; by default it only notes the folders it hands on (no worker)."""
    completed: list[tuple[Path, str]] = []
    refused: list[tuple[str, str, int]] = []
    node = Node(
        ae_title=NODE_AE,
        spool_root=spool_root(),
        senders=lambda: dict(senders),
        on_complete=on_complete or (lambda folder, calling: completed.append((folder, calling))),
        on_refused=lambda *refusal: refused.append(refusal),
    )
    _host, port = node.start("127.0.0.1", 0)
    return RunningNode(node, port, senders, completed, refused)


@pytest.fixture
def node(cast) -> Iterator[RunningNode]:
    running = start_node({"CTSCANNER": cast.institutions["SRRH"].pk})
    yield running
    running.node.stop()


def stored_bytes(instance: Instance) -> bytes:
    with default_storage.open(instance.file.name, "rb") as stored:
        return stored.read()


def spool_is_empty() -> bool:
    return not spool_root().exists() or not any(spool_root().iterdir())


# --- A study from the scanner, end to end ------------------------------------------------------


@needs_data()
@needs_dcmtk
def test_a_series_sent_by_the_scanner_waits_de_identified_in_its_institution(cast, node, planted_series):
    sent = node.send(planted_series)
    assert sent.returncode == 0, sent.stderr
    [folder] = node.folders(1)
    assert len(list(folder.glob("*.dcm"))) == 28  # on disk before the scanner was told "stored"

    outcome = ingest_spool(folder, "CTSCANNER")

    assert outcome == {"stored": 28, "duplicates": 0, "refused": 0, "kept": 0}
    study = Study.objects.get()
    assert study.case is None  # waits for a referrer to attach it
    assert study.institution == cast.institutions["SRRH"]
    assert study.source == Study.Source.NODE and study.received_from == "CTSCANNER"
    original_uid = pydicom.dcmread(planted_series / "01.dcm", stop_before_pixels=True).StudyInstanceUID
    assert study.original_study_uid == original_uid != study.study_uid
    instances = list(Instance.objects.filter(series__study=study))
    assert len(instances) == 28
    for instance in instances:
        data = stored_bytes(instance)
        assert not [planted for planted in PLANTED_BYTES if planted in data]
        assert original_uid.encode() not in data
    stored = pydicom.dcmread(default_storage.open(instances[0].file.name, "rb"))
    assert stored.PatientName == "ND-UNATTACHED"
    # The original, as the scanner sent it, stays on the Tanzanian side.
    original = pydicom.dcmread(default_storage.open(instances[0].original.name, "rb"))
    assert original.PatientID == PLANTED["PatientID"]
    assert spool_is_empty()
    entry = AuditEntry.objects.get(action="imaging.uploaded")
    assert entry.object_id == str(study.pk) and entry.institution == cast.institutions["SRRH"]
    assert entry.detail == {"source": "node", "sender": "CTSCANNER", "instances": 28}


@needs_data()
@needs_dcmtk
def test_a_series_sent_again_is_not_stored_twice(node, planted_series):
    slices = sorted(planted_series.glob("*.dcm"))[:6]
    assert node.send(*slices).returncode == 0
    assert node.send(*slices).returncode == 0
    first, again = node.folders(2)

    assert ingest_spool(first, "CTSCANNER")["stored"] == 6
    assert ingest_spool(again, "CTSCANNER") == {"stored": 0, "duplicates": 6, "refused": 0, "kept": 0}

    assert Instance.objects.count() == 6 and Study.objects.count() == 1
    assert spool_is_empty()


@needs_data()
@needs_dcmtk
def test_two_patients_in_one_association_make_two_studies_never_mixed(cast, node, planted_series):
    ge = sorted(planted_series.glob("*.dcm"))[:3]
    philips = [PHILIPS_HEAD / name for name in ("I10", "I20", "I30")]
    interleaved = [path for pair in zip(ge, philips, strict=True) for path in pair]
    assert node.send(*interleaved).returncode == 0
    [folder] = node.folders(1)

    assert ingest_spool(folder, "CTSCANNER")["stored"] == 6

    originals = {
        pydicom.dcmread(path, stop_before_pixels=True).StudyInstanceUID: path for path in (ge[0], philips[0])
    }
    studies = list(Study.objects.all())
    assert len(studies) == 2
    assert {study.original_study_uid for study in studies} == set(originals)
    assert len({study.patient_fingerprint for study in studies}) == 2
    for study in studies:
        assert study.case is None and study.institution == cast.institutions["SRRH"]
        instances = Instance.objects.filter(series__study=study)
        assert instances.count() == 3
        # Each study holds only its own patient's images.
        sources = {
            pydicom.dcmread(default_storage.open(i.original.name, "rb")).StudyInstanceUID for i in instances
        }
        assert sources == {study.original_study_uid}


@needs_data()
@needs_dcmtk
def test_an_image_cut_short_is_set_aside_and_the_others_are_stored(node, planted_series, tmp_path):
    ds = pydicom.dcmread(planted_series / "05.dcm")
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.PixelData = ds.PixelData[:1000]  # a scanner that stopped mid-image
    cut = tmp_path / "cut.dcm"
    ds.save_as(cut, enforce_file_format=True)
    assert node.send(planted_series / "01.dcm", cut, planted_series / "02.dcm").returncode == 0
    [folder] = node.folders(1)

    outcome = ingest_spool(folder, "CTSCANNER")

    assert outcome == {"stored": 2, "duplicates": 0, "refused": 1, "kept": 0}
    assert Instance.objects.count() == 2
    set_aside = refused_root() / folder.name
    assert sorted(path.name for path in set_aside.iterdir()) == ["2-truncated.dcm", SPOOL_META]
    assert hashlib.sha256(pydicom.dcmread(set_aside / "2-truncated.dcm").PixelData).digest() == (
        hashlib.sha256(ds.PixelData).digest()
    )
    assert spool_is_empty()


@needs_data()
@needs_dcmtk
def test_what_a_stopped_worker_left_is_queued_again_when_the_node_starts(cast, planted_series):
    senders = {"CTSCANNER": cast.institutions["SRRH"].pk}
    first = start_node(senders)  # the worker is down: nothing ingests what it hands on
    try:
        assert first.send(*sorted(planted_series.glob("*.dcm"))[:4]).returncode == 0
        [folder] = first.folders(1)
    finally:
        first.node.stop()
    (folder / "5.dcm.part").write_bytes(b"half an image")  # the node was killed mid-write
    empty = spool_root() / "killed-before-its-first-object"
    empty.mkdir()
    (empty / SPOOL_META).write_text('{"calling_ae": "CTSCANNER"}')
    # The production hand-on: in tests the task runs at once, in this thread.
    again = start_node(senders, on_complete=enqueue_ingest)
    again.node.stop()

    assert not empty.exists()  # nothing in it was acknowledged to a sender

    assert Instance.objects.count() == 4
    assert Study.objects.get().received_from == "CTSCANNER"
    assert spool_is_empty()


@needs_data()
def test_what_an_aborted_association_had_sent_is_handed_on(node):
    scanner = AE(ae_title="CTSCANNER")
    scanner.add_requested_context(CTImageStorage, ExplicitVRLittleEndian)
    association = scanner.associate("127.0.0.1", node.port, ae_title=NODE_AE)
    assert association.is_established
    for name in ("01.dcm", "02.dcm"):
        assert association.send_c_store(GE_HEAD_CT / name).Status == 0x0000
    association.abort()  # the scanner was switched off mid-study

    [folder] = node.folders(1)
    assert ingest_spool(folder, "CTSCANNER")["stored"] == 2


@needs_data()
@needs_dcmtk
def test_an_object_the_node_cannot_write_is_not_acknowledged(cast, settings, tmp_path):
    unmounted = tmp_path / "unmounted"
    unmounted.write_bytes(b"")  # the spool's disk is missing: a file where its folder should be
    settings.IMAGING_INCOMING_ROOT = unmounted
    running = start_node({"CTSCANNER": cast.institutions["SRRH"].pk})
    try:
        sent = running.send(GE_HEAD_CT / "01.dcm")
    finally:
        running.node.stop()

    assert sent.returncode != 0 and "Received Store Response (Refused: OutOfResources)" in sent.stderr
    assert running.completed == []  # the scanner still holds the image and sends it again


# --- Who may connect ----------------------------------------------------------------------------


@needs_data()
@needs_dcmtk
def test_an_unknown_scanner_is_refused_audited_and_nothing_is_kept(node, caplog):
    caplog.set_level(logging.WARNING, logger="imaging.node")

    sent = node.send(GE_HEAD_CT / "01.dcm", calling="ROGUE")

    assert sent.returncode != 0
    assert "Calling AE Title Not Recognized" in sent.stderr
    [(ae_title, host, port)] = node.refused
    assert (ae_title, host) == ("ROGUE", "127.0.0.1") and port > 0
    assert "ROGUE at 127.0.0.1" in caplog.text and "calling AE title not recognised" in caplog.text
    assert node.completed == [] and spool_is_empty()


@needs_data()
@needs_dcmtk
def test_senders_are_read_for_each_association(cast, node):
    assert node.send(GE_HEAD_CT / "01.dcm", calling="PACS01").returncode != 0
    node.senders["PACS01"] = cast.institutions["MOI"].pk  # allowed in the admin, no restart
    assert node.send(GE_HEAD_CT / "01.dcm", calling="PACS01").returncode == 0
    del node.senders["CTSCANNER"]  # disabled
    assert node.send(GE_HEAD_CT / "01.dcm").returncode != 0
    assert [refusal[0] for refusal in node.refused] == ["PACS01", "CTSCANNER"]
    wait_for(lambda: node.completed)
    assert [calling for _folder, calling in node.completed] == ["PACS01"]


@needs_data()
@needs_dcmtk
def test_an_association_for_another_node_is_refused(node):
    sent = node.send(GE_HEAD_CT / "01.dcm", called="ORTHANC")

    assert sent.returncode != 0 and "Called AE Title Not Recognized" in sent.stderr
    assert node.refused == []  # a misconfigured scanner, not an unknown one
    assert node.completed == [] and spool_is_empty()


@needs_dcmtk
def test_a_scanner_can_check_the_connection_with_c_echo(node):
    assert node.echo().returncode == 0
    refused = node.echo(calling="ROGUE")
    assert refused.returncode != 0 and node.refused[0][0] == "ROGUE"
    assert node.completed == [] and spool_is_empty()


def test_the_allowed_senders_are_the_active_ones_with_their_institution(cast):
    DicomSender.objects.create(ae_title="CTSCANNER", institution=cast.institutions["SRRH"])
    DicomSender.objects.create(ae_title="OLDCT", institution=cast.institutions["MOI"], is_active=False)
    assert allowed_senders() == {"CTSCANNER": cast.institutions["SRRH"].pk}


def test_a_refused_sender_is_audited_with_its_title_and_address_only(db):
    audit_refused_sender("ROGUE", "10.20.30.40", 40123)

    entry = AuditEntry.objects.get(action="imaging.refused_sender")
    assert entry.actor is None
    assert entry.detail == {"ae_title": "ROGUE", "peer_host": "10.20.30.40", "peer_port": 40123}


# --- The command and the admin ------------------------------------------------------------------


class Terminal(io.StringIO):
    """The command's standard output, which says when the node is listening."""

    def __init__(self) -> None:
        super().__init__()
        self.listening = threading.Event()

    def write(self, text: str) -> int:
        written = super().write(text)
        if "listening on" in text:
            self.listening.set()
        return written


@needs_dcmtk
def test_the_command_shows_its_title_port_and_senders_and_stops_on_ctrl_c(cast):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers can only be set in the main thread")
    DicomSender.objects.create(
        ae_title="CTSCANNER", institution=cast.institutions["SRRH"], description="Sekou Toure CT"
    )
    DicomSender.objects.create(ae_title="OLDCT", institution=cast.institutions["MOI"], is_active=False)
    terminal = Terminal()
    before = signal.getsignal(signal.SIGINT)

    def ctrl_c_once_listening() -> None:
        if terminal.listening.wait(timeout=15):
            os.kill(os.getpid(), signal.SIGINT)  # to the process, as a terminal sends it

    interrupter = threading.Thread(target=ctrl_c_once_listening)
    interrupter.start()
    call_command("dicom_node", port=0, ae_title="NDTEST", stdout=terminal)
    interrupter.join()

    out = terminal.getvalue()
    assert re.search(r"DICOM node NDTEST listening on 0\.0\.0\.0:[1-9][0-9]*", out)
    assert "CTSCANNER" in out and "Sekou Toure CT" in out and "Disabled: OLDCT" in out
    assert "DICOM node stopped." in out
    assert signal.getsignal(signal.SIGINT) is before


def test_the_command_refuses_an_impossible_ae_title(db):
    with pytest.raises(CommandError):
        call_command("dicom_node", ae_title="MUCH-TOO-LONG-AE-TITLE")


def test_administrators_manage_the_senders_and_every_change_is_audited(cast, as_user):
    client = as_user(cast.admin)
    srrh = cast.institutions["SRRH"]
    response = client.post(
        "/admin/imaging/dicomsender/add/",
        {
            "ae_title": " PACS01 ",
            "institution": srrh.pk,
            "description": "Sekou Toure PACS",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    sender = DicomSender.objects.get()
    assert sender.ae_title == "PACS01" and sender.institution == srrh and sender.is_active
    assert AuditEntry.objects.filter(action="admin.added", object_type="imaging.dicomsender").exists()

    listing = client.get("/admin/imaging/dicomsender/", {"q": "PACS"})
    assert listing.status_code == 200
    assert "PACS01" in listing.text and srrh.name in listing.text

    refused = client.post(
        "/admin/imaging/dicomsender/add/", {"ae_title": "CT\\1", "institution": srrh.pk, "is_active": "on"}
    )
    assert refused.status_code == 200 and DicomSender.objects.count() == 1


def test_only_administrators_reach_the_senders(cast, as_user):
    assert as_user(cast.coordinator).get("/admin/imaging/dicomsender/").status_code == 403
