"""One file in: a de-identified, losslessly compressed object, or a refusal that says why."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess

import numpy as np
import pydicom
import pytest
from pydicom.uid import JPEGLSLossless

from imaging.ingest import IngestError, Refusal, patient_fingerprint, prepare
from imaging.tests.data import GE_HEAD_CT, PHILIPS_HEAD, needs_data
from lib.deid.dicom import Options
from lib.deid.uids import keyed_uid_mapper

pytestmark = needs_data()

KEY = b"a-uid-key-that-stays-in-tanzania"
FINGERPRINT_KEY = b"a-patient-key-that-stays-in-tz!!"


def ingest(data: bytes):
    return prepare(io.BytesIO(data), Options(-30, "ND-TEST"), keyed_uid_mapper(KEY), FINGERPRINT_KEY)


def refusal(data: bytes) -> Refusal:
    with pytest.raises(IngestError) as refused:
        ingest(data)
    return refused.value.refusal


def as_bytes(ds) -> bytes:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


@pytest.mark.parametrize("path", [GE_HEAD_CT / "05.dcm", PHILIPS_HEAD / "I700"])
def test_stored_pixels_are_exactly_the_originals_in_jpeg_ls(path):
    original = pydicom.dcmread(path)
    prepared = ingest(path.read_bytes())
    stored = pydicom.dcmread(io.BytesIO(prepared.data))
    assert stored.file_meta.TransferSyntaxUID == JPEGLSLossless
    assert np.array_equal(stored.pixel_array, original.pixel_array)
    assert len(prepared.data) < len(path.read_bytes()) / 3
    assert prepared.sha256 == hashlib.sha256(prepared.data).hexdigest()
    assert prepared.original_sop_uid == original.SOPInstanceUID != prepared.sop_uid
    # The stored UID is the consistent replacement (compression must not mint a new one).
    assert prepared.sop_uid == stored.SOPInstanceUID == keyed_uid_mapper(KEY)(original.SOPInstanceUID)


def test_what_the_index_needs_is_read_from_the_header():
    prepared = ingest((GE_HEAD_CT / "01.dcm").read_bytes())
    assert (prepared.rows, prepared.columns, prepared.frames) == (512, 512, 1)
    assert prepared.modality == "CT" and prepared.pixel_spacing == pytest.approx((0.48828, 0.48828), abs=1e-4)
    assert prepared.window == (35.0, 100.0) and prepared.slice_position == pytest.approx(5.836, abs=1e-3)
    assert prepared.suspicions == []


def test_the_stored_object_is_valid_dicom(tmp_path):
    if shutil.which("dciodvfy") is None:
        pytest.skip("dciodvfy (Debian dicom3tools) is not installed; .ci/run installs it")
    out = tmp_path / "stored.dcm"
    out.write_bytes(ingest((PHILIPS_HEAD / "I10").read_bytes()).data)
    report = subprocess.run(["dciodvfy", str(out)], capture_output=True, text=True, check=False)  # noqa: S603,S607
    assert [line for line in report.stderr.splitlines() if line.startswith("Error")] == []


def test_a_file_that_is_not_dicom_is_refused_whatever_its_name():
    assert refusal(b"%PDF-1.4 this is a referral letter, not a scan") is Refusal.NOT_DICOM
    assert refusal(b"") is Refusal.NOT_DICOM


def test_a_truncated_file_is_refused():
    whole = (GE_HEAD_CT / "01.dcm").read_bytes()
    for cut in (len(whole) // 2, len(whole) - 100, 400):
        assert refusal(whole[:cut]) is Refusal.TRUNCATED, cut


def test_the_dicomdir_of_a_scanner_export_is_recognised_as_an_index():
    assert refusal((PHILIPS_HEAD / "DIRFILE").read_bytes()) is Refusal.DIRECTORY


def test_enormous_declared_dimensions_are_refused_before_decoding():
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    ds.Rows, ds.Columns, ds.NumberOfFrames = 8000, 8000, 500
    with pytest.raises(IngestError) as refused:
        ingest(as_bytes(ds))
    assert refused.value.refusal is Refusal.TOO_LARGE and refused.value.params["frames"] == 500


def test_an_object_without_pixels_is_not_an_image():
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    del ds.PixelData
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.88.11"  # Basic Text SR
    assert refusal(as_bytes(ds)) is Refusal.NOT_AN_IMAGE


def test_a_transfer_syntax_that_cannot_be_decoded_is_named():
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.100"  # MPEG2 video: not a CT slice
    ds.PixelData = pydicom.encaps.encapsulate([b"\x00\x00\x01\xb3 not an image"])
    ds["PixelData"].VR = "OB"
    with pytest.raises(IngestError) as refused:
        ingest(as_bytes(ds))
    assert refused.value.refusal is Refusal.UNSUPPORTED_SYNTAX
    assert "MPEG2" in str(refused.value.params["syntax"])


def test_a_damaged_compressed_image_is_refused_as_unreadable():
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.70"  # JPEG lossless SV1, decodable
    ds.PixelData = pydicom.encaps.encapsulate([b"\xff\xd8 not really a jpeg \xff\xd9"])
    ds["PixelData"].VR = "OB"
    assert refusal(as_bytes(ds)) is Refusal.UNREADABLE_PIXELS


@pytest.mark.skipif(
    not shutil.which("dcmcjpeg"), reason="dcmtk's dcmcjpeg is not installed (.ci/run installs it)"
)
def test_jpeg_lossless_from_a_pacs_is_decoded_and_stored_as_jpeg_ls_without_loss(tmp_path):
    source = GE_HEAD_CT / "05.dcm"
    compressed = tmp_path / "sv1.dcm"
    subprocess.run(["dcmcjpeg", "+e1", str(source), str(compressed)], check=True)  # noqa: S603, S607
    assert pydicom.dcmread(compressed).file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.70"
    stored = pydicom.dcmread(io.BytesIO(ingest(compressed.read_bytes()).data))
    assert stored.file_meta.TransferSyntaxUID == JPEGLSLossless
    assert np.array_equal(stored.pixel_array, pydicom.dcmread(source).pixel_array)


def test_jpeg_2000_lossless_is_decoded_and_stored_as_jpeg_ls_without_loss():
    from pydicom.data import get_testdata_file

    source = get_testdata_file("MR_small_jp2klossless.dcm")
    assert source is not None
    original = pydicom.dcmread(source)
    with open(source, "rb") as data:
        stored = pydicom.dcmread(io.BytesIO(ingest(data.read()).data))
    assert stored.file_meta.TransferSyntaxUID == JPEGLSLossless
    assert np.array_equal(stored.pixel_array, original.pixel_array)


def test_native_pixel_data_shorter_than_declared_is_truncated():
    ds = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    ds.PixelData = ds.PixelData[:1000]
    assert refusal(as_bytes(ds)) is Refusal.TRUNCATED


def test_the_patient_fingerprint_tells_two_patients_apart_and_reveals_nothing():
    first = pydicom.dcmread(GE_HEAD_CT / "01.dcm")
    second = pydicom.dcmread(GE_HEAD_CT / "02.dcm")
    assert patient_fingerprint(first, FINGERPRINT_KEY) == patient_fingerprint(second, FINGERPRINT_KEY)
    second.PatientID = "MNH-2026-000001"
    assert patient_fingerprint(first, FINGERPRINT_KEY) != patient_fingerprint(second, FINGERPRINT_KEY)
    assert "MNH" not in patient_fingerprint(second, FINGERPRINT_KEY)
