"""A real Orthanc, as a Tanzanian hospital's PACS would run it, forwards a study to NeuroDaraja
with its DICOMweb plugin (STOW-RS, Bearer token); the study arrives de-identified and waits,
unattached, at the referrer's hospital.

Orthanc calls a small HTTP server (imaging/tests/bridge.py) whose requests this test's thread
answers through Django's test client, inside the test's transaction."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydicom
import pytest
import requests
from django.core.files.storage import default_storage
from django.test import Client

from accounts.actions import create_api_token
from core.models import AuditEntry
from imaging.models import Instance, Study
from imaging.tests.bridge import Bridge, django_answer
from imaging.tests.data import GE_HEAD_CT, IDENTIFYING_BYTES, encoded, ge_slices, needs_data

ORTHANC = Path("/usr/sbin/Orthanc")
DICOMWEB_PLUGIN = Path("/usr/share/orthanc/plugins/libOrthancDicomWeb.so")

pytestmark = [
    needs_data(),
    pytest.mark.slow,
    pytest.mark.skipif(
        not ORTHANC.exists() or not DICOMWEB_PLUGIN.exists(),
        reason=f"Orthanc with its DICOMweb plugin is not installed ({ORTHANC}, {DICOMWEB_PLUGIN}).",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Orthanc:
    def __init__(self, folder: Path, neurodaraja_url: str, token: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "orthanc.log"
        self.config = folder / "orthanc.json"
        self.config.write_text(
            json.dumps(
                {
                    "Name": "SRRH-PACS",
                    "StorageDirectory": str(folder / "storage"),
                    "IndexDirectory": str(folder / "storage"),
                    "HttpPort": self.port,
                    "DicomPort": free_port(),
                    "DicomAet": "SRRHPACS",
                    "RemoteAccessAllowed": False,
                    "AuthenticationEnabled": False,
                    "HttpTimeout": 60,
                    "Plugins": [str(DICOMWEB_PLUGIN)],
                    "DicomWeb": {
                        "Enable": True,
                        "Root": "/dicom-web/",
                        "Servers": {
                            "neurodaraja": {
                                "Url": f"{neurodaraja_url}/dicomweb/",
                                "HttpHeaders": {"Authorization": f"Bearer {token}"},
                            }
                        },
                    },
                }
            )
        )

    def __enter__(self) -> Orthanc:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed path, our own config
                [str(ORTHANC), str(self.config)], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Orthanc stopped at start:\n{self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/system", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"Orthanc did not start:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def post(self, path: str, **kwargs: object) -> dict:
        answer = requests.post(f"{self.url}{path}", timeout=30, **kwargs)  # type: ignore[arg-type]
        answer.raise_for_status()
        return answer.json()

    def job(self, job_id: str) -> dict:
        return requests.get(f"{self.url}/jobs/{job_id}", timeout=5).json()


@pytest.fixture
def folder(tmp_path) -> Iterator[Path]:
    path = tmp_path / "orthanc"
    path.mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_orthanc_forwards_a_study_that_arrives_de_identified_and_unattached(cast: Any, folder: Path) -> None:
    _token, raw = create_api_token(cast.referrer, name="SRRH PACS", valid_days=30)
    slices = ge_slices()
    with Bridge() as bridge, Orthanc(folder, bridge.url, raw) as orthanc:
        studies = {orthanc.post("/instances", data=encoded(ds))["ParentStudy"] for ds in slices}
        assert len(studies) == 1
        job = orthanc.post(
            "/dicom-web/servers/neurodaraja/stow", json={"Resources": list(studies), "Synchronous": False}
        )
        state: dict = {}

        def finished() -> bool:
            state.update(orthanc.job(job["ID"]))
            return state["State"] in ("Success", "Failure")

        bridge.serve_until(finished, django_answer(Client()), timeout=180)
        assert state["State"] == "Success", (state, orthanc.log.read_text()[-3000:])
    # One STOW-RS request per batch of instances (Orthanc decides the batches), each fully stored.
    assert bridge.log and set(bridge.log) == {("POST", "/dicomweb/studies", 200)}

    study = Study.objects.get()
    assert study.case is None and study.institution == cast.institutions["SRRH"]
    assert study.source == Study.Source.STOW and study.study_uid != slices[0].StudyInstanceUID
    instances = Instance.objects.filter(series__study=study)
    assert instances.count() == len(list(GE_HEAD_CT.glob("*.dcm")))
    originals = {ds.SOPInstanceUID for ds in slices}
    for instance in instances:
        assert instance.original_sop_uid in originals and instance.sop_uid not in originals
        data = default_storage.open(instance.file.name, "rb").read()
        assert not [identifying for identifying in IDENTIFYING_BYTES if identifying in data]
        stored = pydicom.dcmread(default_storage.open(instance.file.name, "rb"), stop_before_pixels=True)
        assert stored.PatientName == "ND-UNATTACHED" and "InstitutionName" not in stored
    received = AuditEntry.objects.get(action="imaging.uploaded")
    assert received.actor == cast.referrer and received.detail == {"source": "stow", "instances": len(slices)}
