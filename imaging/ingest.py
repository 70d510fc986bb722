"""One DICOM file in, one de-identified, losslessly compressed object out — or a clear refusal.

Plain Python (pydicom, numpy). Each file is handled on its own, so a 400-slice series never sits
in memory at once. The steps:

1. read and check: is it DICOM, is it whole, is it an image, are its dimensions sane, can its
   transfer syntax be decoded;
2. note what must stay on the Tanzanian side (original UIDs, a keyed fingerprint of the patient
   so that two patients in one upload are caught);
3. de-identify (`lib.deid.dicom`), list pixel suspicions (`lib.deid.burned_in`);
4. decode every frame (what cannot be decoded is refused: it would fail every rendering) and
   look for text in the pixels themselves (`lib.deid.pixel_text`), whatever the header says;
5. compress losslessly (`imaging.compression`) and hash the bytes that will be stored.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, Any

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import UID

from imaging import compression
from imaging.geometry import is_synthetic
from lib.deid.burned_in import Suspicion, suspicions
from lib.deid.dicom import Entry, Options, deidentify
from lib.deid.pixel_text import contrast_floor, find_text

# A CT slice is 512 x 512; a large multi-frame object a few hundred frames of it. Anything that
# declares more pixels than this is refused before any pixel is decoded (a memory bomb).
MAX_PIXELS = 512 * 512 * 256
MAX_SIDE = 8192
DICOMDIR_CLASS = "1.2.840.10008.1.3.10"


class Refusal(StrEnum):
    NOT_DICOM = "not_dicom"
    TRUNCATED = "truncated"
    DIRECTORY = "directory"  # a DICOMDIR: an index of the files, not an image
    NOT_AN_IMAGE = "not_an_image"
    TOO_LARGE = "too_large"
    UNSUPPORTED_SYNTAX = "unsupported_syntax"
    UNREADABLE_PIXELS = "unreadable_pixels"
    ANOTHER_PATIENT = "another_patient"  # a second patient in one upload
    ANOTHER_INSTITUTION = "another_institution"  # the study is held by another hospital
    ON_ANOTHER_CASE = "on_another_case"  # the study is already attached to another case
    NOT_THIS_PATIENT = "not_this_patient"  # the case already holds imaging of someone else


class IngestError(Exception):
    def __init__(self, refusal: Refusal, **params: Any) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.params = params


@dataclass
class Prepared:
    """A de-identified object ready to store, with what the index needs."""

    data: bytes
    sha256: str
    original_size: int
    transfer_syntax: str
    sop_class_uid: str
    study_uid: str
    series_uid: str
    sop_uid: str
    original_study_uid: str  # the original UIDs never leave the Tanzanian side
    original_series_uid: str
    original_sop_uid: str
    patient_fingerprint: str  # keyed hash: equal for the same patient, says nothing about who
    modality: str
    series_number: int | None
    instance_number: int | None
    series_description: str
    study_date: str
    rows: int
    columns: int
    frames: int
    pixel_spacing: tuple[float, float] | None
    slice_thickness: float | None
    slice_position: float | None
    window: tuple[float, float] | None
    orientation: tuple[float, ...] | None = None  # ImageOrientationPatient: row, then column cosines
    synthetic: bool = False  # a demonstration phantom's, by both of its marks (imaging.geometry)
    suspicions: list[Suspicion] = field(default_factory=list)
    report: list[Entry] = field(default_factory=list)


def read(source: IO[bytes]) -> Dataset:
    """Read and check one file; raises IngestError saying what is wrong with it."""
    try:
        ds = pydicom.dcmread(source)
    except InvalidDicomError as error:
        raise IngestError(Refusal.NOT_DICOM) from error
    except (EOFError, OSError, ValueError, KeyError, TypeError, OverflowError, AttributeError) as error:
        # pydicom raises these for files cut off mid-element or with nonsense lengths.
        raise IngestError(Refusal.TRUNCATED) from error
    sop_class = str(getattr(ds.file_meta, "MediaStorageSOPClassUID", "") or ds.get("SOPClassUID", ""))
    if sop_class == DICOMDIR_CLASS or "DirectoryRecordSequence" in ds:
        raise IngestError(Refusal.DIRECTORY)
    if "PixelData" not in ds and "FloatPixelData" not in ds and "DoubleFloatPixelData" not in ds:
        if "Image Storage" in UID(sop_class).name:
            raise IngestError(Refusal.TRUNCATED)  # an image class with no pixels: the file was cut
        raise IngestError(Refusal.NOT_AN_IMAGE, sop_class=UID(sop_class).name if sop_class else "")
    if "PixelData" not in ds:
        raise IngestError(Refusal.UNSUPPORTED_SYNTAX, syntax="float pixel data")
    rows, columns = int(ds.get("Rows") or 0), int(ds.get("Columns") or 0)
    frames = int(ds.get("NumberOfFrames") or 1)
    samples = int(ds.get("SamplesPerPixel") or 1)
    if not rows or not columns:
        raise IngestError(Refusal.NOT_AN_IMAGE, sop_class=UID(sop_class).name if sop_class else "")
    if rows > MAX_SIDE or columns > MAX_SIDE or rows * columns * frames * samples > MAX_PIXELS:
        raise IngestError(Refusal.TOO_LARGE, rows=rows, columns=columns, frames=frames)
    syntax = ds.file_meta.get("TransferSyntaxUID")
    if syntax is None or not compression.can_decode(UID(syntax)):
        raise IngestError(Refusal.UNSUPPORTED_SYNTAX, syntax=UID(syntax).name if syntax else "")
    if not UID(syntax).is_compressed:
        expected = rows * columns * frames * samples * int(ds.get("BitsAllocated") or 16) // 8
        if len(ds.PixelData) < expected:
            raise IngestError(Refusal.TRUNCATED)
    return ds


def frames_to_check(frames: int) -> list[int]:
    """The first, middle and last frame: a cine or a multi-frame screen capture repeats its text,
    and a multi-frame object that waits for review cannot be shared anyway (see review_series)."""
    return sorted({0, frames // 2, frames - 1})


def text_floor(ds: Dataset) -> float:
    is_ct = str(ds.get("Modality", "")).upper() == "CT" or str(ds.get("SOPClassUID", "")).startswith(
        "1.2.840.10008.5.1.4.1.1.2"
    )
    slope = _float(ds.get("RescaleSlope")) or 1.0
    return contrast_floor(is_ct=is_ct, bits_stored=int(ds.get("BitsStored") or 8), slope=slope)


def shows_text(ds: Dataset, pixels: np.ndarray) -> bool:
    """Whether the pixels look like printed text (`lib.deid.pixel_text`), on a few frames."""
    frames = int(ds.get("NumberOfFrames") or 1)
    floor = text_floor(ds)
    return any(find_text(pixels[i] if frames > 1 else pixels, floor) for i in frames_to_check(frames))


def patient_fingerprint(ds: Dataset, key: bytes) -> str:
    """Equal for two objects of the same patient (ID, name, birth date as the scanner wrote them)."""
    parts = [
        str(ds.get(k, "") or "").strip().upper() for k in ("PatientID", "PatientName", "PatientBirthDate")
    ]
    return hmac.new(key, "\x1f".join(parts).encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]


def _float(value: Any) -> float | None:
    """A finite number, or None: "1e999999" is infinity to Python and no measurement."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


INTEGER_COLUMN = 2**31 - 1  # what every database's integer column holds


def _ordinal(value: Any) -> int | None:
    """A series or instance number. One that is no number, or that no column can hold (an IS of
    40 digits), is refused here as a header that cannot be understood, like any other value
    pydicom cannot read, rather than failing when the row is saved after the files were written."""
    if value in (None, ""):
        return None
    number = int(value)  # ValueError for an IS that is no number
    if not -INTEGER_COLUMN <= number <= INTEGER_COLUMN:
        raise ValueError("a series or instance number out of range")
    return number


def _spacing(value: Any) -> tuple[float, float] | None:
    """PixelSpacing as two positive numbers, or None when a scanner wrote something else."""
    if not value or len(value) != 2:
        return None
    row, column = _float(value[0]), _float(value[1])
    return (row, column) if row and column and row > 0 and column > 0 else None


def _orientation(value: Any) -> tuple[float, ...] | None:
    if not value or len(value) != 6:
        return None
    cosines = [_float(v) for v in value]
    return tuple(c for c in cosines if c is not None) if None not in cosines else None


def _first(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str | bytes):
        return value
    try:
        return value[0]
    except (TypeError, IndexError):
        return value


def prepare(
    source: IO[bytes],
    options: Options | Callable[[str], Options],
    new_uid: Callable[[str], str],
    fingerprint_key: bytes,
    *,
    original_size: int | None = None,
    check: Callable[[Dataset, str], None] | None = None,
) -> Prepared:
    """`options` may depend on the patient (their date offset): then it is a function of the
    patient fingerprint. `check` sees the original dataset and fingerprint before anything is
    changed, and may refuse (two patients in one upload, say) by raising IngestError."""
    ds = read(source)
    originals = (
        str(ds.get("StudyInstanceUID", "")),
        str(ds.get("SeriesInstanceUID", "")),
        str(ds.get("SOPInstanceUID", "")),
    )
    if not all(originals):
        raise IngestError(Refusal.NOT_AN_IMAGE, sop_class="")
    fingerprint = patient_fingerprint(ds, fingerprint_key)
    if check is not None:
        check(ds, fingerprint)
    # Judged on the header as it came: de-identification may remove the very descriptions
    # (a "SCREEN SAVE", a "DOSE REPORT") that say the pixels need a look.
    found = suspicions(ds)
    synthetic = is_synthetic(
        str(ds.get("Manufacturer", "") or ""), str(ds.get("SeriesDescription", "") or "")
    )
    outcome = deidentify(ds, options if isinstance(options, Options) else options(fingerprint), new_uid)
    try:
        pixels = compression.decode(ds)
        if Suspicion.TEXT_IN_PIXELS not in found and shows_text(ds, pixels):
            found.append(Suspicion.TEXT_IN_PIXELS)
        compression.compress(ds, pixels)
    except compression.CannotDecode as error:
        raise IngestError(Refusal.UNREADABLE_PIXELS) from error
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    data = buffer.getvalue()
    spacing = ds.get("PixelSpacing")
    position = ds.get("ImagePositionPatient")
    center, width = _float(_first(ds.get("WindowCenter"))), _float(_first(ds.get("WindowWidth")))
    return Prepared(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        original_size=original_size or 0,
        transfer_syntax=str(ds.file_meta.TransferSyntaxUID),
        sop_class_uid=str(ds.SOPClassUID),
        study_uid=str(ds.StudyInstanceUID),
        series_uid=str(ds.SeriesInstanceUID),
        sop_uid=str(ds.SOPInstanceUID),
        original_study_uid=originals[0],
        original_series_uid=originals[1],
        original_sop_uid=originals[2],
        patient_fingerprint=fingerprint,
        modality=str(ds.get("Modality", "") or ""),
        series_number=_ordinal(ds.get("SeriesNumber")),
        instance_number=_ordinal(ds.get("InstanceNumber")),
        series_description=str(ds.get("SeriesDescription", "") or ""),
        study_date=str(ds.get("StudyDate", "") or ""),
        rows=int(ds.Rows),
        columns=int(ds.Columns),
        frames=int(ds.get("NumberOfFrames") or 1),
        pixel_spacing=_spacing(spacing),
        slice_thickness=_float(ds.get("SliceThickness")),
        slice_position=_float(position[2])
        if position and len(position) == 3
        else _float(ds.get("SliceLocation")),
        window=(center, width) if center is not None and width else None,
        orientation=_orientation(ds.get("ImageOrientationPatient")),
        synthetic=synthetic,
        suspicions=found,
        report=outcome.entries,
    )


__all__ = [
    "MAX_PIXELS",
    "IngestError",
    "Prepared",
    "Refusal",
    "frames_to_check",
    "patient_fingerprint",
    "prepare",
    "read",
    "shows_text",
    "text_floor",
]
