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
