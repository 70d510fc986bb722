"""Resumable uploads (tus 1.0.0): a cut connection continues where it stopped, nothing is lost
or duplicated, and only the case's referring team may send."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from typing import Any

import pytest
from django.test import Client, TestCase

from conftest import sign_in
from core.models import AuditEntry
from imaging.incoming import incoming_path
from imaging.models import Instance, Study, Upload, UploadBatch
from imaging.tests.data import GE_HEAD_CT, PHILIPS_HEAD, needs_data

pytestmark = needs_data()
TUS: dict[str, Any] = {"HTTP_TUS_RESUMABLE": "1.0.0"}


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGING_INCOMING_ROOT = tmp_path / "incoming"


def metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def create(client: Client, case, length: int, name: str = "01.dcm", **extra):
    return client.post(
        "/api/v1/uploads/",
        **TUS,
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=metadata(case=case.code, filename=name, **extra),
    )


def patch(client: Client, location: str, offset: int, data: bytes, **headers):
    # The worker is queued when the last byte is committed: run it as that commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.generic(
            "PATCH",
            location,
            data=data,
            content_type="application/offset+octet-stream",
            **TUS,
            HTTP_UPLOAD_OFFSET=str(offset),
            **headers,
        )


def test_an_upload_cut_in_the_middle_resumes_from_the_server_offset_and_is_stored_once(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(enforce_csrf_checks=False), cast.referrer)
    data = (GE_HEAD_CT / "01.dcm").read_bytes()
    created = create(client, case, len(data))
    assert created.status_code == 201
    location = created["Location"]
    assert patch(client, location, 0, data[:100_000]).status_code == 204
    # the connection drops; the client asks where to continue
    head = client.head(location, **TUS)
    assert head["Upload-Offset"] == "100000" and head["Upload-Length"] == str(len(data))
    assert patch(client, location, 0, data[:100_000]).status_code == 409  # a stale offset is refused
    done = patch(client, location, 100_000, data[100_000:])
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    upload = Upload.objects.get()
    assert upload.state == Upload.State.DONE and upload.outcome["stored"] == 1  # the worker ran
    assert Instance.objects.count() == 1 and Study.objects.get().case == case
    assert not incoming_path(upload).exists()  # the incoming bytes are gone once stored
    received = AuditEntry.objects.get(action="imaging.uploaded")
    assert received.detail == {"source": "upload", "instances": 1} and received.actor == cast.referrer


def test_bytes_written_before_a_crash_count_and_the_client_continues_from_them(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    data = (GE_HEAD_CT / "02.dcm").read_bytes()
    location = create(client, case, len(data))["Location"]
    upload = Upload.objects.get()
    # The server wrote 70,000 bytes and died before it recorded the offset in the database.
    incoming_path(upload).write_bytes(data[:70_000])
    assert Upload.objects.get().offset == 0
    assert client.head(location, **TUS)["Upload-Offset"] == "70000"
    assert patch(client, location, 70_000, data[70_000:]).status_code == 204
    assert Instance.objects.count() == 1


def test_a_chunk_that_fails_its_checksum_is_discarded(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    data = (GE_HEAD_CT / "03.dcm").read_bytes()
    location = create(client, case, len(data))["Location"]
    wrong = base64.b64encode(hashlib.sha1(b"something else", usedforsecurity=False).digest()).decode()
    refused = patch(client, location, 0, data[:50_000], HTTP_UPLOAD_CHECKSUM=f"sha1 {wrong}")
    assert refused.status_code == 460 and refused["Upload-Offset"] == "0"
    right = base64.b64encode(hashlib.sha1(data[:50_000], usedforsecurity=False).digest()).decode()
    assert patch(client, location, 0, data[:50_000], HTTP_UPLOAD_CHECKSUM=f"sha1 {right}").status_code == 204
    assert client.head(location, **TUS)["Upload-Offset"] == "50000"


def test_more_bytes_than_declared_are_refused_and_not_kept(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    location = create(client, case, 10)["Location"]
    assert patch(client, location, 0, b"x" * 20).status_code == 413
    assert client.head(location, **TUS)["Upload-Offset"] == "0"


def test_a_zip_of_a_scanner_export_is_unpacked_and_the_directory_file_skipped_and_said(cast, make_case):
    case = make_case(send=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in (PHILIPS_HEAD / "DIRFILE", PHILIPS_HEAD / "I10", PHILIPS_HEAD / "I20"):
            archive.write(path, f"EXPORT/{path.name}")
        archive.writestr("../../etc/evil.dcm", b"not even dicom")
    data = buffer.getvalue()
    client = sign_in(Client(), cast.referrer)
    location = create(client, case, len(data), name="cd.zip")["Location"]
    assert patch(client, location, 0, data).status_code == 204
    outcome = Upload.objects.get().outcome
    assert outcome["stored"] == 2
    assert {"name": "EXPORT/DIRFILE", "refusal": "directory", "params": {}} in outcome["skipped"]
    assert {"name": "../../etc/evil.dcm", "problem": "unsafe_path"} in outcome["skipped"]


def test_files_of_a_second_patient_are_refused_and_the_first_patients_are_kept(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    first = (GE_HEAD_CT / "01.dcm").read_bytes()
    created = create(client, case, len(first))
    patch(client, created["Location"], 0, first)
    batch = created["ND-Batch"]
    other = (PHILIPS_HEAD / "I10").read_bytes()
    second = create(client, case, len(other), name="I10", batch=batch)
    patch(client, second["Location"], 0, other)
    assert UploadBatch.objects.get().patient_fingerprint
    refused = Upload.objects.get(name="I10")
    assert (
        refused.state == Upload.State.FAILED and refused.outcome["skipped"][0]["refusal"] == "another_patient"
    )
    assert Instance.objects.count() == 1


def test_only_the_referring_team_may_upload_and_others_learn_nothing(cast, make_case):
    case = make_case(send=True)
    data = b"x" * 10
    for persona in ("outsider", "consultant_china", "trainee", "researcher"):
        client = sign_in(Client(), getattr(cast, persona))
        assert create(client, case, len(data)).status_code == 404, persona
    location = create(sign_in(Client(), cast.referrer), case, len(data))["Location"]
    outsider = sign_in(Client(), cast.outsider)
    assert outsider.head(location, **TUS).status_code == 404
    assert patch(outsider, location, 0, data).status_code == 404
    assert outsider.delete(location, **TUS).status_code == 404
    assert Client().head(location, **TUS).status_code == 401


def test_a_browser_session_needs_the_csrf_token(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(enforce_csrf_checks=True), cast.referrer)
    assert create(client, case, 10).status_code == 403


def test_protocol_errors_are_answered_clearly(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    assert client.post("/api/v1/uploads/", HTTP_UPLOAD_LENGTH="10").status_code == 412  # no Tus-Resumable
    assert client.post("/api/v1/uploads/", **TUS).status_code == 400  # no length
    too_big = create(client, case, 10**13)
    assert too_big.status_code == 413 and "MB" in too_big.content.decode()
    options = client.options("/api/v1/uploads/")
    assert options.status_code == 204 and "checksum" in options["Tus-Extension"]
    bad_batch = create(client, case, 10, batch="00000000-0000-0000-0000-000000000000")
    assert bad_batch.status_code == 404
    location = create(client, case, 10)["Location"]
    wrong_type = client.generic(
        "PATCH", location, data=b"x", content_type="text/plain", **TUS, HTTP_UPLOAD_OFFSET="0"
    )
    assert wrong_type.status_code == 415
    assert client.delete(location, **TUS).status_code == 204
    assert client.head(location, **TUS).status_code == 404


def phone_photo_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (90, 90, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 49.0, 0.0)}  # GPS: Dar es Salaam
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_photo_in_an_upload_is_not_shared_and_the_sender_is_told_where_it_goes(cast, make_case):
    case = make_case(send=True)
    photo = phone_photo_with_gps()
    client = sign_in(Client(), cast.referrer)
    location = create(client, case, len(photo), name="film.jpg")["Location"]
    assert patch(client, location, 0, photo).status_code == 204
    upload = Upload.objects.get()
    assert upload.outcome["skipped"] == [{"name": "film.jpg", "photo": "not_with_imaging"}]
    assert not case.attachments.exists()  # a film's name label must be checked by the referrer first
    status = client.get(f"/consultations/{case.code}/imaging/batches/{upload.batch_id}/").json()
    assert "Documents and photos" in status["uploads"][0]["skipped"][0]["message"]


def test_a_busy_database_during_processing_is_retried_and_nothing_is_lost(
    cast, make_case, monkeypatch, caplog
):
    from django.db import OperationalError

    import imaging.tasks

    real_receive = imaging.tasks.receive
    calls = {"n": 0}
    busy = "database is locked"

    def busy_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError(busy)
        return real_receive(*args, **kwargs)

    monkeypatch.setattr(imaging.tasks, "receive", busy_once)
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    data = (GE_HEAD_CT / "03.dcm").read_bytes()
    location = create(client, case, len(data))["Location"]
    assert patch(client, location, 0, data).status_code == 204
    upload = Upload.objects.get()
    assert calls["n"] == 2 and upload.state == Upload.State.DONE and upload.outcome["stored"] == 1
    assert (
        "OperationalError" in caplog.text and "database is locked" not in caplog.text
    )  # no message text in logs


def test_a_stray_file_of_another_patient_in_a_zip_is_refused_and_the_rest_still_taken(cast, make_case):
    case = make_case(send=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(GE_HEAD_CT / "01.dcm", "CD/01.dcm")
        archive.write(PHILIPS_HEAD / "I10", "CD/I10")  # someone else's, in the middle
        archive.write(GE_HEAD_CT / "02.dcm", "CD/02.dcm")
        archive.writestr("CD/odd.dcm", b"DICM" * 10)
    data = buffer.getvalue()
    client = sign_in(Client(), cast.referrer)
    location = create(client, case, len(data), name="cd.zip")["Location"]
    patch(client, location, 0, data)
    outcome = Upload.objects.get().outcome
    assert outcome["stored"] == 2
    refusals = {item["name"]: item.get("refusal") for item in outcome["skipped"]}
    assert refusals["CD/I10"] == "another_patient" and "CD/odd.dcm" in refusals


def test_an_unforeseen_failure_on_one_file_skips_it_and_keeps_the_others(cast, make_case, monkeypatch):
    import imaging.tasks

    real_receive = imaging.tasks.receive

    def odd(batch, data, name=""):
        if name == "CD/02.dcm":
            raise KeyError("something no check foresaw")
        return real_receive(batch, data, name)

    monkeypatch.setattr(imaging.tasks, "receive", odd)
    case = make_case(send=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("01.dcm", "02.dcm", "03.dcm"):
            archive.write(GE_HEAD_CT / name, f"CD/{name}")
    data = buffer.getvalue()
    client = sign_in(Client(), cast.referrer)
    patch(client, create(client, case, len(data), name="cd.zip")["Location"], 0, data)
    upload = Upload.objects.get()
    assert upload.state == Upload.State.DONE and upload.outcome["stored"] == 2
    assert upload.outcome["skipped"] == [{"name": "CD/02.dcm", "refusal": "unreadable_pixels", "params": {}}]


def test_asking_where_to_continue_after_the_file_was_processed_says_it_is_complete(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    data = (GE_HEAD_CT / "04.dcm").read_bytes()
    location = create(client, case, len(data))["Location"]
    patch(client, location, 0, data)
    assert not incoming_path(Upload.objects.get()).exists()  # processed and removed
    head = client.head(location, **TUS)
    assert head["Upload-Offset"] == head["Upload-Length"] == str(len(data))  # nothing to send again


def test_an_upload_whose_worker_died_is_queued_again_and_stored(cast, make_case):
    from datetime import timedelta

    from django.utils import timezone

    from imaging.tasks import requeue_stale_uploads

    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    data = (GE_HEAD_CT / "05.dcm").read_bytes()
    location = create(client, case, len(data))["Location"]
    # all bytes arrive, but the worker is killed before it finishes (no task runs here)
    client.generic(
        "PATCH",
        location,
        data=data,
        content_type="application/offset+octet-stream",
        **TUS,
        HTTP_UPLOAD_OFFSET="0",
    )
    upload = Upload.objects.get()
    Upload.objects.filter(pk=upload.pk).update(state=Upload.State.PROCESSING)
    assert requeue_stale_uploads.call() == 0  # not yet stale: it may still be running
    Upload.objects.filter(pk=upload.pk).update(updated_at=timezone.now() - timedelta(hours=3))
    assert requeue_stale_uploads.call() == 1
    upload.refresh_from_db()
    assert upload.state == Upload.State.DONE and upload.outcome["stored"] == 1


def test_sending_a_waiting_scan_to_a_case_attaches_it_audited_and_named_for_the_case(cast, make_case):
    import pydicom

    from core.models import AuditEntry
    from imaging.services import Batch, receive

    receive(
        Batch(institution=cast.institutions["SRRH"], source=Study.Source.NODE),
        (GE_HEAD_CT / "06.dcm").read_bytes(),
    )
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    data = (GE_HEAD_CT / "06.dcm").read_bytes()
    with TestCase.captureOnCommitCallbacks(execute=True):
        patch(client, create(client, case, len(data))["Location"], 0, data)
    assert Study.objects.get().case == case and Upload.objects.get().outcome["duplicates"] == 1
    assert AuditEntry.objects.filter(action="imaging.attached", object_id=str(case.pk)).exists()
    with Instance.objects.get().file.open("rb") as stored:
        assert pydicom.dcmread(stored).PatientID == case.code


def test_a_case_closed_mid_upload_takes_no_more_bytes(cast, make_case):
    from consultations.models import Case, Status

    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    data = (GE_HEAD_CT / "07.dcm").read_bytes()
    location = create(client, case, len(data))["Location"]
    patch(client, location, 0, data[:1000])
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    refused = patch(client, location, 1000, data[1000:])
    assert refused.status_code == 409 and "closed" in refused.content.decode()
    assert not Instance.objects.exists()
