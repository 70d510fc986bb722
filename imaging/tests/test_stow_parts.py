"""STOW-RS takes each part on its own: a hostile part (sequences nested hundreds deep, a number
that is no number or too large for any column, a part that is no DICOM or is cut short) is
refused with its DICOMweb failure reason, leaves nothing behind, and never takes the request,
or the good parts beside it, down. Every request that brought parts is audited."""

from __future__ import annotations

import logging
import struct

import pydicom
import pytest
from django.core.files.storage import default_storage
from django.test import Client

from accounts.actions import create_api_token
from core.models import AuditEntry
from imaging.models import DateShift, Instance, Series, Study
from imaging.tests.data import IDENTIFYING_BYTES, encoded, small_ct, stow_body
from lib import dicomweb
from lib.dicomweb import CANNOT_UNDERSTAND, PROCESSING_FAILURE

PIXEL_DATA_TAG = b"\xe0\x7f\x10\x00"


def referrer_client(user) -> Client:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user, name='stow', valid_days=30)[1]}")
    client.raise_request_exception = False  # see what a real sender would get
    return client


def post(client: Client, parts: list[bytes]):
    body, content_type = stow_body(parts)
    return client.post("/dicomweb/studies", data=body, content_type=content_type)


def failed(answer) -> list[dict]:
    return answer.json().get("00081198", {}).get("Value", [])


def stored(answer) -> list[dict]:
    return answer.json().get("00081199", {}).get("Value", [])


def reason(item: dict) -> int:
    return item["00081197"]["Value"][0]


def before_pixels(data: bytes, inserted: bytes) -> bytes:
    """An encoded file with raw elements spliced in just before its pixel data (tags in order)."""
    at = data.rindex(PIXEL_DATA_TAG)
    return data[:at] + inserted + data[at:]


def explicit(tag: int, vr: bytes, value: bytes) -> bytes:
    return struct.pack("<HH", tag >> 16, tag & 0xFFFF) + vr + struct.pack("<H", len(value)) + value


def nested(depth: int) -> bytes:
    """A Content Sequence (0040,A730) holding itself `depth` times, undefined lengths."""
    opening = b"\x40\x00\x30\xa7SQ\x00\x00\xff\xff\xff\xff" + b"\xfe\xff\x00\xe0\xff\xff\xff\xff"
    closing = b"\xfe\xff\x0d\xe0\x00\x00\x00\x00" + b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    return opening * depth + closing * depth


def good(number: int = 1) -> bytes:
    return encoded(small_ct(study=7, series=1, number=number))


def hostile(kind: str) -> bytes:
    base = encoded(small_ct(study=7, series=1, number=9))
    if kind == "nested 200 deep":
        return before_pixels(base, nested(200))
    if kind == "nested 2000 deep":
        return before_pixels(base, nested(2000))
    ds = small_ct(study=7, series=1, number=9)
    del ds.InstanceNumber
    data = encoded(ds)
    # Instance Number (0020,0013) goes before Image Position (0020,0032).
    at = data.index(b"\x20\x00\x32\x00")
    if kind == "IS not a number":
        return data[:at] + explicit(0x00200013, b"IS", b"twelve") + data[at:]
    if kind == "IS too large":
        return data[:at] + explicit(0x00200013, b"IS", b"9" * 40) + data[at:]
    if kind == "header cut short":
        return base[: base.index(b"\x20\x00\x32\x00") + 5]
    if kind == "not DICOM":
        return b"%PDF-1.7 " + b"x" * 500
    if kind == "length past the end":
        at = base.index(b"\x08\x00\x3e\x10")  # Series Description's length said to be huge
        return base[:at] + b"\x08\x00\x3e\x10LO\xff\xff" + base[at + 8 :]
    raise AssertionError(kind)


HOSTILE = [
    "nested 200 deep",
    "nested 2000 deep",
    "IS not a number",
    "IS too large",
    "header cut short",
    "not DICOM",
    "length past the end",
]


def files_in_storage() -> set[str]:
    def walk(path: str) -> set[str]:
        folders, files = default_storage.listdir(path)
        found = {f"{path}/{name}".lstrip("/") for name in files}
        for folder in folders:
            found |= walk(f"{path}/{folder}".lstrip("/"))
        return found

    try:
        return walk("")
    except FileNotFoundError:
        return set()


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_part_is_refused_on_its_own_and_the_good_ones_kept(cast, settings, kind, debug):
    settings.DEBUG = debug
    answer = post(referrer_client(cast.referrer), [good(1), hostile(kind), good(2)])
    assert answer.status_code == 202, answer.content[:300]
    assert answer["Content-Type"] == "application/dicom+json"
    assert b"Traceback" not in answer.content
    [refused] = failed(answer)
    assert reason(refused) in (CANNOT_UNDERSTAND, PROCESSING_FAILURE)
    assert refused["0040A160"]["Value"][0]  # the reason in words
    assert len(stored(answer)) == 2
    assert Instance.objects.count() == 2 and Series.objects.count() == 1


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_request_of_only_a_hostile_part_is_409_and_leaves_nothing(cast, kind, caplog):
    before = files_in_storage()
    with caplog.at_level(logging.DEBUG):
        answer = post(referrer_client(cast.referrer), [hostile(kind)])
    assert answer.status_code == 409, answer.content[:300]
    assert len(failed(answer)) == 1 and not stored(answer)
    assert not Instance.objects.exists() and not Series.objects.exists() and not Study.objects.exists()
    assert files_in_storage() == before
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(planted.decode() in logged for planted in IDENTIFYING_BYTES)


def test_an_unforeseen_failure_inside_the_ingest_is_one_refused_part(cast, monkeypatch):
    import imaging.dicomweb.stow as stow

    real = stow.receive
    calls = []

    def flaky(batch, data, name=""):
        calls.append(name)
        if len(calls) == 2:
            raise ZeroDivisionError("a bug in the ingest")
        return real(batch, data, name)

    monkeypatch.setattr(stow, "receive", flaky)
    answer = post(referrer_client(cast.referrer), [good(1), good(2), good(3)])
    assert answer.status_code == 202
    [refused] = failed(answer)
    assert reason(refused) == PROCESSING_FAILURE
    assert (
        refused["00081155"]["Value"][0] == pydicom.dcmread(__import__("io").BytesIO(good(2))).SOPInstanceUID
    )
    assert Instance.objects.count() == 2


def test_a_failure_after_the_rows_were_written_leaves_no_row_of_that_part(cast, monkeypatch):
    import imaging.services as services

    real = services._save_both_copies
    calls = []

    def fails_late(series, prepared, original):
        calls.append(1)
        instance = real(series, prepared, original)
        if len(calls) == 2:
            raise RuntimeError("the disk went away after the row was written")
        return instance

    monkeypatch.setattr(services, "_save_both_copies", fails_late)
    answer = post(referrer_client(cast.referrer), [good(1), encoded(small_ct(study=8, series=1, number=1))])
    assert answer.status_code == 202
    assert Instance.objects.count() == 1
    assert Study.objects.count() == 1 and Series.objects.count() == 1  # no half study of part 2


def test_every_request_is_audited_with_its_counts_and_no_identifier(cast):
    post(referrer_client(cast.referrer), [good(1), hostile("IS not a number"), good(2)])
    [entry] = AuditEntry.objects.filter(action="imaging.uploaded")
    assert entry.detail["source"] == "stow"
    assert entry.detail["instances"] == 2 and entry.detail["refused"] == 1
    assert entry.detail["parts"] == 3
    assert entry.object_type == "imaging.study"
    post(referrer_client(cast.referrer), [hostile("not DICOM"), hostile("nested 200 deep")])
    latest = AuditEntry.objects.filter(action="imaging.uploaded").order_by("-id").first()
    assert latest is not None and latest.pk != entry.pk
    assert latest.detail == {"source": "stow", "parts": 2, "refused": 2, "instances": 0}
    text = repr([e.detail for e in AuditEntry.objects.all()])
    assert not any(planted.decode() in text for planted in IDENTIFYING_BYTES)


def test_the_store_response_follows_ps3_18(cast):
    answer = post(referrer_client(cast.referrer), [good(1), hostile("not DICOM")])
    body = answer.json()
    assert set(body) == {"00081198", "00081199"}
    assert body["00081198"]["vr"] == "SQ" and body["00081199"]["vr"] == "SQ"
    [item] = body["00081198"]["Value"]
    assert item["00081197"]["vr"] == "US" and reason(item) == dicomweb.CANNOT_UNDERSTAND


def test_a_part_that_fails_after_its_date_offset_was_drawn_leaves_the_patient_one_offset(cast):
    # The part's offset row is taken back with the part; the next parts and the patient's next
    # study must still be shifted by one offset, kept in one row.
    post(referrer_client(cast.referrer), [hostile("IS too large"), good(1)])
    [shift] = DateShift.objects.all()
    post(referrer_client(cast.referrer), [encoded(small_ct(study=9, series=1, number=1))])
    assert list(DateShift.objects.all()) == [shift]


def test_a_first_part_that_fails_does_not_make_its_patient_the_requests(cast):
    other = small_ct(study=10, series=1, number=1, PatientName="Other^Patient", PatientID="OTHER-1")
    answer = post(referrer_client(cast.referrer), [hostile("IS too large"), encoded(other)])
    assert len(stored(answer)) == 1
