"""The real CT series in ../shared/data/dicom/ (never copied into the repository)."""

from __future__ import annotations

import os
from pathlib import Path

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
