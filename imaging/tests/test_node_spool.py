"""A file in the DICOM node's spool that fails the same way every time (here: sequences nested
past what the reader can follow) is tried a few times, then moved aside to node-failed with its
reason beside it, audited, and shown to administrators; the spool is then empty, so the node
stops retrying it at every start. The good files beside it are stored at the first try."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from core.models import AuditEntry
from imaging.models import Instance
from imaging.node import SPOOL_META, leftover_spools, spooled_files
from imaging.node_tasks import failed_root, ingest_spool, set_aside_files, spool_root
from imaging.tests.data import encoded, small_ct

PIXEL_DATA_TAG = b"\xe0\x7f\x10\x00"


@pytest.fixture(autouse=True)
def incoming(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGING_INCOMING_ROOT = tmp_path / "incoming"
    return tmp_path / "incoming"


def poison() -> bytes:
    """A CT slice with a Content Sequence nested 2000 deep: pydicom's reader recurses past the
    interpreter's limit on it, every time."""
    data = encoded(small_ct(study=21, series=1, number=9))
    opening = b"\x40\x00\x30\xa7SQ\x00\x00\xff\xff\xff\xff" + b"\xfe\xff\x00\xe0\xff\xff\xff\xff"
    closing = b"\xfe\xff\x0d\xe0\x00\x00\x00\x00" + b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    at = data.rindex(PIXEL_DATA_TAG)
    return data[:at] + opening * 2000 + closing * 2000 + data[at:]


def spool_folder(cast, *objects: bytes) -> Path:
    folder = spool_root() / str(uuid.uuid4())
    folder.mkdir(parents=True)
    meta = {"calling_ae": "CTSCANNER", "institution_id": cast.institutions["SRRH"].pk}
    (folder / SPOOL_META).write_text(json.dumps(meta))
    for number, data in enumerate(objects, start=1):
        (folder / f"{number}.dcm").write_bytes(data)
    return folder


def test_a_poison_file_is_tried_three_times_then_set_aside_with_its_reason(cast):
    folder = spool_folder(cast, encoded(small_ct(study=21, series=1, number=1)), poison())

    first = ingest_spool(folder, "CTSCANNER")
    assert first == {"stored": 1, "duplicates": 0, "refused": 0, "kept": 1}
    assert [path.name for path in spooled_files(folder)] == ["2.dcm"]
    assert ingest_spool(folder, "CTSCANNER")["kept"] == 1  # the second try
    assert leftover_spools(spool_root()) == [(folder, "CTSCANNER")]  # still retried at a start

    third = ingest_spool(folder, "CTSCANNER")

    assert third == {"stored": 0, "duplicates": 0, "refused": 1, "kept": 0}
    assert not folder.exists() and leftover_spools(spool_root()) == []  # nothing left to retry
    aside = failed_root() / folder.name
    assert sorted(path.name for path in aside.iterdir()) == ["2.dcm", "2.json", SPOOL_META]
    assert (aside / "2.dcm").read_bytes() == poison()  # nothing received is lost
    reason = json.loads((aside / "2.json").read_text())
    assert reason["reason"] == "RecursionError" and reason["tries"] == 3
    assert reason["calling_ae"] == "CTSCANNER" and reason["set_aside_at"]
    assert Instance.objects.count() == 1

    [entry] = AuditEntry.objects.filter(action="imaging.node_file_set_aside")
    assert entry.institution == cast.institutions["SRRH"]
    assert entry.detail == {
        "sender": "CTSCANNER",
        "file": f"{folder.name}/2.dcm",
        "reason": "RecursionError",
        "tries": 3,
    }
    [listed] = set_aside_files()
    assert listed.path == f"{folder.name}/2.dcm" and listed.tries == 3


def test_the_number_of_tries_is_a_setting(cast, settings):
    settings.DICOM_NODE_MAX_TRIES = 1
    folder = spool_folder(cast, poison())
    assert ingest_spool(folder, "CTSCANNER")["refused"] == 1
    assert (failed_root() / folder.name / "1.dcm").exists()


def test_a_file_that_succeeds_on_a_later_try_leaves_no_count_behind(cast, monkeypatch):
    import imaging.node_tasks as node_tasks

    real = node_tasks.receive
    calls = []

    def fails_once(batch, data, name=""):
        calls.append(name)
        if len(calls) == 1:
            raise ConnectionError("the database went away")
        return real(batch, data, name)

    monkeypatch.setattr(node_tasks, "receive", fails_once)
    folder = spool_folder(cast, encoded(small_ct(study=21, series=1, number=1)))
    assert ingest_spool(folder, "CTSCANNER")["kept"] == 1
    assert (folder / "1.tries").read_text() == "1"
    assert ingest_spool(folder, "CTSCANNER")["stored"] == 1
    assert not folder.exists()  # the count went with the file, so the folder could go too


def test_administrators_see_what_was_set_aside_with_reason_and_time(cast, as_user, settings):
    settings.DICOM_NODE_MAX_TRIES = 1
    folder = spool_folder(cast, poison())
    ingest_spool(folder, "CTSCANNER")
    from imaging.models import DicomSender

    DicomSender.objects.create(ae_title="CTSCANNER", institution=cast.institutions["SRRH"])

    page = as_user(cast.admin).get("/admin/imaging/dicomsender/")

    assert page.status_code == 200
    text = page.content.decode()
    assert f"{folder.name}/1.dcm" in text and "RecursionError" in text and "after 1 try:" in text
    assert "field-set_aside" in text
    # The patient planted in the file (the hospital's own name is on the page, as the sender's).
    assert not any(planted in text for planted in ("Mollel", "SRRH-2025-00123", "19910417", "ACC778899"))
    assert as_user(cast.coordinator).get("/admin/imaging/dicomsender/").status_code == 403
