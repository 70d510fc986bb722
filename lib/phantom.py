"""A synthetic head CT for the demonstration: a numerical phantom written as CT Image Storage.

Plain Python (numpy and pydicom). A fresh clone has no real CT (the public test CT lives outside
the repository), so the demo makes its own: an ellipsoidal head in Hounsfield units with scalp,
a skull of two tables around a diploe, a thin layer of CSF, grey matter over white matter with
gyri, deep grey nuclei, lateral and third ventricles, the interhemispheric fissure, and a
biconvex (lens-shaped) extradural haematoma against the inner table of the left temporal bone
that pushes the midline to the right. It matches the demo's first referral ("left temporal
extradural haematoma about 10 mm thick, 3 mm midline shift").

Coordinates are the patient's (DICOM LPS, millimetres): x towards the patient's left, y towards
the back, z towards the head. Axial slices are shown as radiologists read them: the patient's
left on the image's right.

Every object says it is synthetic in its header (SeriesDescription starting "SYNTHETIC", the
manufacturer, the patient's name, ImageComments). Each call makes a new study: its UIDs are
fresh, so the demo loaded twice, or the phantom on two cases, never collide (de-identification
maps a UID the same way every time, so equal UIDs would be taken for the same images sent
again). Given a `uid_seed`, the same inputs give the same bytes: UIDs derived from the seed,
the noise from a seeded generator (always).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import UID, CTImageStorage, ExplicitVRLittleEndian, generate_uid

from lib.deid.vocabulary import SYNTHETIC_MANUFACTURER

# The marks the de-identification keeps (lib.deid.vocabulary) and the viewer looks for.
MARKER = "SYNTHETIC"
MANUFACTURER = SYNTHETIC_MANUFACTURER
MODEL = "Numerical head phantom"
PATIENT_NAME = "SYNTHETIC^PHANTOM"
PATIENT_ID = "SYNTHETIC-PHANTOM"
SERIES_DESCRIPTION = "SYNTHETIC head phantom axial 5mm"
STUDY_DESCRIPTION = "SYNTHETIC CT head phantom"
# Every word on the vocabulary's allow-list, and none a person's record could hold (not even
# "patient", which the demo case's name has): a description survives cleaning only so.
IMAGE_COMMENTS = "SYNTHETIC demonstration image: numerical head phantom, no human scan"

# Hounsfield units of the tissues, as a non-contrast head CT shows them.
AIR = -1000
FAT = -90
SCALP = 35
CORTICAL_BONE = 1600
DIPLOE = 550
CSF = 6
GREY_MATTER = 42
WHITE_MATTER = 26
DEEP_GREY = 37
FALX = 70
ACUTE_BLOOD = 72
NOISE_HU = 3.0  # quantum noise of a standard brain reconstruction, roughly

_INTERCEPT = -1024  # stored value = HU + 1024, in 12 bits
_SEED = "neurodaraja-phantom-1"


@dataclass(frozen=True)
class Geometry:
    """What the series looks like: the matrix, the slices and the haematoma."""

    size: int = 256  # rows and columns
    pixel_mm: float = 0.9  # a 230 mm field of view
    slices: int = 24
    slice_mm: float = 5.0
    first_z_mm: float = -50.0  # the lowest slice, from the centre of the head
    haematoma_mm: float = 10.0  # the lens's greatest thickness
    shift_mm: float = 3.0  # how far the midline is pushed to the right
    noise: bool = True
    blur: bool = True  # the scanner's point spread (see _blurred)


# Outer surface of the head (semi-axes, mm): wider front to back than side to side.
_HEAD = np.array([76.0, 96.0, 92.0])
# Depth of each layer's inner boundary below the outer surface (mm).
_SCALP_FAT, _SCALP_FAT_END, _SCALP_END, _OUTER_TABLE_END, _DIPLOE_END, _INNER_TABLE_END, _CSF_END = (
    2.0,
    4.0,
    7.0,
    9.0,
    12.5,
    14.5,
    16.0,
)
_CORTEX_MM = 5.0
# The haematoma's centre on the inner table: left temporal, a little in front of the ear, at the
# level of the middle slice, where the viewer opens.
_HAEMATOMA_DIRECTION = np.array([1.0, -0.15, 0.12])
_HAEMATOMA_RADIUS_MM = 70.0  # of the sphere that cuts the lens out of the skull's inside


def hounsfield(geometry: Geometry = Geometry()) -> np.ndarray:
    """The volume in Hounsfield units, shaped (slices, rows, columns), as int16."""
    n = geometry.size
    axis = ((np.arange(n) - (n - 1) / 2) * geometry.pixel_mm).astype(np.float32)
    levels = (geometry.first_z_mm + np.arange(geometry.slices) * geometry.slice_mm).astype(np.float32)
    # Broadcast rather than full grids: (1, 1, n) columns, (1, n, 1) rows, (slices, 1, 1).
    x, y, z = axis[None, None, :], axis[None, :, None], levels[:, None, None]
    depth = _depth_below(x, y, z, _HEAD)

    volume = np.full(depth.shape, AIR, dtype=np.float32)
    for start, end, value in (
        (0.0, _SCALP_FAT, SCALP),
        (_SCALP_FAT, _SCALP_FAT_END, FAT),
        (_SCALP_FAT_END, _SCALP_END, SCALP),
        (_SCALP_END, _OUTER_TABLE_END, CORTICAL_BONE),
        (_OUTER_TABLE_END, _DIPLOE_END, DIPLOE),
        (_DIPLOE_END, _INNER_TABLE_END, CORTICAL_BONE),
        (_INNER_TABLE_END, _CSF_END, CSF),
    ):
        volume[(depth >= start) & (depth < end)] = value
    # The brain, computed on its voxels only (a flat list), is most of the work.
    where = np.nonzero(depth >= _CSF_END)
    points = (
        np.broadcast_to(x, depth.shape)[where],
        np.broadcast_to(y, depth.shape)[where],
        np.broadcast_to(z, depth.shape)[where],
    )
    volume[where] = _brain(*points, depth[where], geometry)
    inside = np.nonzero(depth >= _INNER_TABLE_END)
    lens = _haematoma(
        np.broadcast_to(x, depth.shape)[inside],
        np.broadcast_to(y, depth.shape)[inside],
        np.broadcast_to(z, depth.shape)[inside],
        geometry,
    )
    volume[tuple(index[lens] for index in inside)] = ACUTE_BLOOD

    if geometry.blur:
        volume = _blurred(volume)
    if geometry.noise:
        head = depth >= 0
        rng = np.random.default_rng(int.from_bytes(_SEED.encode(), "big") % 2**32)
        volume[head] += rng.normal(0.0, NOISE_HU, size=int(head.sum())).astype(np.float32)
    return np.clip(np.rint(volume), AIR, 3071).astype(np.int16)


def _blurred(volume: np.ndarray) -> np.ndarray:
    """In-plane blur as a scanner's point spread blurs edges (about a millimetre): razor-sharp
    two-pixel tables would look like printed strokes to the burned-in text detector, as no
    real CT does."""
    kernel = (1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16)
    for axis in (1, 2):
        padding = [(2, 2) if a == axis else (0, 0) for a in range(3)]
        padded = np.pad(volume, padding, mode="edge")
        length = volume.shape[axis]
        out = np.zeros_like(volume)
        for start, weight in enumerate(kernel):
            window = [slice(None)] * 3
            window[axis] = slice(start, start + length)
            out += np.float32(weight) * padded[tuple(window)]
        volume = out
    return volume


def _depth_below(x: np.ndarray, y: np.ndarray, z: np.ndarray, semi_axes: np.ndarray) -> np.ndarray:
    """Millimetres below the ellipsoid's surface along the ray from its centre (negative
    outside): close to the normal distance for a head this round, and cheap."""
    a, b, c = (float(v) for v in semi_axes)
    radius = np.sqrt(x * x + y * y + z * z)
    rho = np.sqrt((x / a) ** 2 + (y / b) ** 2 + (z / c) ** 2)
    return radius * (1 - rho) / np.maximum(rho, np.float32(1e-6))


def _brain(x: np.ndarray, y: np.ndarray, z: np.ndarray, depth: np.ndarray, geometry: Geometry) -> np.ndarray:
    """Hounsfield units of the brain's voxels (flat arrays of their coordinates and depth)."""
    # Pushed to the right most at the haematoma's level in the middle of the head, not at the
    # skull; structures are drawn where they were before the shift, so sampled at x + shift.
    level = float(_HAEMATOMA_DIRECTION[2] * _HEAD[2])
    below_cortex = depth - _CSF_END
    shift = (
        geometry.shift_mm
        * np.exp(-((y / 55.0) ** 2) - ((z - level) / 45.0) ** 2)
        * np.clip(below_cortex / 25.0, 0.0, 1.0)
    )
    x = x + shift
    # Gyri: the grey-white boundary undulates along the surface.
    gyri = 2.5 * np.sin(14 * np.arctan2(y, x)) * np.cos(9 * np.arctan2(z, np.hypot(x, y)))
    out = np.full(x.shape, WHITE_MATTER, dtype=np.float32)
    out[below_cortex < _CORTEX_MM + gyri] = GREY_MATTER
    out[(below_cortex < 1.2) & (gyri < -1.8)] = CSF  # sulci, in the troughs of the gyri

    # Deep grey nuclei (basal ganglia and thalami), one on each side.
    for side in (-1.0, 1.0):
        out[((x - side * 20) / 11) ** 2 + ((y + 2) / 20) ** 2 + ((z - 2) / 13) ** 2 < 1] = DEEP_GREY
    # Lateral ventricles; the left one is squeezed by the haematoma.
    for side, squeeze in ((-1.0, 1.0), (1.0, 0.65)):
        body = ((x - side * 9) / (5.5 * squeeze)) ** 2 + ((y + 4) / 28) ** 2 + ((z - 16) / 10) ** 2 < 1
        frontal = ((x - side * 7) / (4.5 * squeeze)) ** 2 + ((y + 26) / 9) ** 2 + ((z - 10) / 9) ** 2 < 1
        occipital = ((x - side * 14) / (5 * squeeze)) ** 2 + ((y - 26) / 10) ** 2 + ((z - 8) / 8) ** 2 < 1
        out[body | frontal | occipital] = CSF
    out[(x / 1.6) ** 2 + ((y - 2) / 11) ** 2 + ((z + 2) / 8) ** 2 < 1] = CSF  # the third ventricle
    # The interhemispheric fissure with the falx in it, from the vertex and the front and back.
    fissure = (np.abs(x) < 1.5) & ((below_cortex < 30) | (np.abs(y) > 45) | (z > 45))
    out[fissure] = CSF
    out[fissure & (np.abs(x) < 0.5)] = FALX
    return out


def _haematoma(x: np.ndarray, y: np.ndarray, z: np.ndarray, geometry: Geometry) -> np.ndarray:
    """A biconvex lens: the part of a sphere inside the skull whose edge lies on the inner
    table, as an extradural clot strips the dura off the bone (the caller passes the points
    inside the inner table only)."""
    direction = _HAEMATOMA_DIRECTION / np.linalg.norm(_HAEMATOMA_DIRECTION)
    # Where the ray in that direction meets the inner table.
    on_surface = direction / np.sqrt(((direction / _HEAD) ** 2).sum())
    inner_table = on_surface * (1 - _INNER_TABLE_END / np.linalg.norm(on_surface))
    cx, cy, cz = inner_table + direction * (_HAEMATOMA_RADIUS_MM - geometry.haematoma_mm)
    return (x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2 < _HAEMATOMA_RADIUS_MM**2


def _uids(uid_seed: str | None) -> Callable[..., UID]:
    """UIDs of one study: derived from `uid_seed`, or from a fresh random one when it is None."""
    seed = uuid.uuid4().hex if uid_seed is None else uid_seed

    def uid(*parts: str) -> UID:
        return generate_uid(entropy_srcs=[_SEED, seed, *parts])

    return uid


def series(geometry: Geometry = Geometry(), *, uid_seed: str | None = None) -> list[Dataset]:
    """The series as CT Image Storage objects, one per slice, from the bottom up: a new study
    each call, or the same one for the same `uid_seed`."""
    volume = hounsfield(geometry)
    _uid = _uids(uid_seed)
    study_uid, series_uid, frame_uid = _uid("study"), _uid("series"), _uid("frame")
    half = (geometry.size - 1) / 2 * geometry.pixel_mm
    out = []
    for index, pixels in enumerate(volume):
        z = geometry.first_z_mm + index * geometry.slice_mm
        sop_uid = _uid("instance", str(index))
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CTImageStorage
        meta.MediaStorageSOPInstanceUID = sop_uid
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.SOPClassUID = CTImageStorage
        ds.SOPInstanceUID = sop_uid
        ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20260101"
        ds.StudyTime = ds.SeriesTime = ds.ContentTime = "090000"
        ds.AccessionNumber = ""
        ds.Modality = "CT"
        ds.Manufacturer = MANUFACTURER
        ds.ManufacturerModelName = MODEL
        ds.SoftwareVersions = "1"
        ds.ReferringPhysicianName = ""
        ds.StudyDescription = STUDY_DESCRIPTION
        ds.SeriesDescription = SERIES_DESCRIPTION
        ds.PatientName = PATIENT_NAME
        ds.PatientID = PATIENT_ID
        ds.PatientBirthDate = ""
        ds.PatientSex = ""
        ds.KVP = ""  # nothing was exposed
        ds.SliceThickness = f"{geometry.slice_mm:g}"
        ds.ConvolutionKernel = "STANDARD"
        ds.PatientPosition = "HFS"
        ds.BodyPartExamined = "HEAD"
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.StudyID = "1"
        ds.SeriesNumber = 1
        ds.AcquisitionNumber = 1
        ds.InstanceNumber = index + 1
        ds.ImagePositionPatient = [f"{-half:g}", f"{-half:g}", f"{z:g}"]
        ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        ds.FrameOfReferenceUID = frame_uid
        ds.PositionReferenceIndicator = ""
        ds.SliceLocation = f"{z:g}"
        ds.ImageComments = IMAGE_COMMENTS
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows = ds.Columns = geometry.size
        ds.PixelSpacing = [f"{geometry.pixel_mm:g}", f"{geometry.pixel_mm:g}"]
        ds.BitsAllocated = 16
        ds.BitsStored = 12
        ds.HighBit = 11
        ds.PixelRepresentation = 0
        ds.WindowCenter = ["40", "500"]
        ds.WindowWidth = ["80", "2000"]
        ds.WindowCenterWidthExplanation = ["BRAIN", "BONE"]
        ds.RescaleIntercept = str(_INTERCEPT)
        ds.RescaleSlope = "1"
        ds.RescaleType = "HU"
        ds.BurnedInAnnotation = "NO"
        ds.LossyImageCompression = "00"
        ds.PixelData = (pixels.astype(np.int32) - _INTERCEPT).astype("<u2").tobytes()
        out.append(ds)
    return out


def files(geometry: Geometry = Geometry(), *, uid_seed: str | None = None) -> list[tuple[str, bytes]]:
    """(file name, DICOM Part 10 bytes) for each slice, as a folder of the series would hold: a
    new study each call, or the same bytes for the same `uid_seed`."""
    named = []
    for ds in series(geometry, uid_seed=uid_seed):
        buffer = io.BytesIO()
        pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
        named.append((f"SYNTHETIC{int(ds.InstanceNumber):03d}.dcm", buffer.getvalue()))
    return named


def is_phantom(ds: Dataset) -> bool:
    """Whether an object is this phantom's, from its header (its manufacturer and description)."""
    return str(ds.get("Manufacturer", "")).strip() == MANUFACTURER and str(
        ds.get("SeriesDescription", "")
    ).upper().startswith(MARKER)


__all__ = [
    "IMAGE_COMMENTS",
    "MANUFACTURER",
    "MARKER",
    "PATIENT_NAME",
    "SERIES_DESCRIPTION",
    "Geometry",
    "files",
    "hounsfield",
    "is_phantom",
    "series",
]
