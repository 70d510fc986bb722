"""The real CT series in ../shared/data/dicom/ (never copied into the repository), and copies of
them with a patient's identity planted, for the tests of what leaves the hospital."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pydicom
import pytest

DICOM_DATA = Path(
    os.environ.get("NEURODARAJA_DICOM_DATA", Path(__file__).resolve().parents[2].parent / "shared/data/dicom")
)
GE_HEAD_CT = DICOM_DATA / "ge-head-ct"
PHILIPS_HEAD = DICOM_DATA / "philips-head-phantom-brain"


def needs_data() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not GE_HEAD_CT.is_dir() or not PHILIPS_HEAD.is_dir(),
        reason=f"The shared CT data is not at {DICOM_DATA} (set NEURODARAJA_DICOM_DATA).",
    )


# Planted into copies of the real CT (its publisher already blanked the patient).
IDENTITY = {
    "PatientName": "Mollel^Amina Juma",
    "PatientID": "SRRH-2025-00123",
    "PatientBirthDate": "19910417",
    "InstitutionName": "Sekou Toure Regional Referral Hospital",
    "ReferringPhysicianName": "Mwakalinga^Neema",
    "AccessionNumber": "ACC778899",
    "StudyDate": "20250311",
}
IDENTIFYING_BYTES = [b"Mollel", b"SRRH-2025-00123", b"19910417", b"Sekou Toure", b"Mwakalinga", b"ACC778899"]


def ge_slices(count: int | None = None, **changes: str) -> list[pydicom.Dataset]:
    found: list[pydicom.Dataset] = []
    for path in sorted(GE_HEAD_CT.glob("*.dcm"))[:count]:
        ds = pydicom.dcmread(path)
        for keyword, value in {**IDENTITY, **changes}.items():
            setattr(ds, keyword, value)
        found.append(ds)
    return found


def encoded(ds: pydicom.Dataset) -> bytes:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def small_ct(study: int, series: int, number: int = 1, size: int = 32, **changes: str) -> pydicom.Dataset:
    """A small axial CT slice made in memory (no shared data needed), of the planted patient: the
    same `study` and `series` numbers give the same UIDs, so slices join one series."""
    ds = pydicom.Dataset()
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
    ds.SOPClassUID = pydicom.uid.CTImageStorage
    ds.StudyInstanceUID = pydicom.uid.generate_uid(entropy_srcs=["small-ct", str(study)])
    ds.SeriesInstanceUID = pydicom.uid.generate_uid(entropy_srcs=["small-ct", str(study), str(series)])
    ds.SOPInstanceUID = pydicom.uid.generate_uid(
        entropy_srcs=["small-ct", str(study), str(series), str(number)]
    )
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.Modality = "CT"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SeriesNumber, ds.InstanceNumber = series, number
    ds.SeriesDescription = "Head without contrast"
    ds.Rows = ds.Columns = size
    ds.PixelSpacing, ds.SliceThickness = [0.5, 0.5], 5.0
    ds.ImagePositionPatient = [0.0, 0.0, 5.0 * number]
    ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 1
    ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
    ds.WindowCenter, ds.WindowWidth = 40, 80
    pixels = [(1024 + 40 + (row * column) % 80) for row in range(size) for column in range(size)]
    ds.PixelData = b"".join(value.to_bytes(2, "little", signed=True) for value in pixels)
    for keyword, value in {**IDENTITY, **changes}.items():
        setattr(ds, keyword, value)
    return ds


def stow_body(parts: list[bytes], boundary: str = "nd-test-boundary") -> tuple[bytes, str]:
    """A STOW-RS request body of these DICOM files, and its Content-Type."""
    body = b"".join(
        f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode() + data + b"\r\n" for data in parts
    )
    return (
        body + f"--{boundary}--\r\n".encode(),
        f'multipart/related; type="application/dicom"; boundary={boundary}',
    )
