"""Where an image lies in the patient and how far apart two points on it are: pure, no Django.

The viewer (static/js/viewer.js) does the same arithmetic in the same order, so a distance reads
the same before it is saved and after: points rounded to a tenth of a pixel, then
sqrt(dx² + dy²) in millimetres (IEEE sqrt, products and sums give the same bits in both
languages, where hypot may not), then a tenth of a millimetre, halves rounded up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from lib.deid.vocabulary import SYNTHETIC_MANUFACTURER

# Synthetic demonstration images (lib/phantom.py): both marks must be there, so a real
# patient's series described "SYNTHETIC" is never called "not a patient". The manufacturer's
# name has one source, the de-identification vocabulary, which keeps it through de-identification.
SYNTHETIC_DESCRIPTION_PREFIX = "SYNTHETIC"


def is_synthetic(manufacturer: str, series_description: str) -> bool:
    return manufacturer.strip() == SYNTHETIC_MANUFACTURER and series_description.strip().upper().startswith(
        SYNTHETIC_DESCRIPTION_PREFIX
    )


def round_tenth(value: float) -> float:
    """A tenth, halves up: JavaScript's Math.round(value * 10) / 10, bit for bit (Math.round is
    the nearer integer, ties towards +infinity; floor(v + 0.5) would differ just below a half)."""
    tenths = value * 10
    whole = math.floor(tenths)
    return (whole + 1 if tenths - whole >= 0.5 else whole) / 10


def distance_mm(
    points: Sequence[Sequence[float]], spacing_row: float | None, spacing_column: float | None
) -> float | None:
    """Millimetres between two points given in image pixels (column x, row y), to a tenth; None
    without a pixel spacing."""
    if spacing_row is None or spacing_column is None:
        return None
    (x1, y1), (x2, y2) = ([round_tenth(v) for v in point] for point in points)
    dx = (x2 - x1) * spacing_column
    dy = (y2 - y1) * spacing_row
    return round_tenth(math.sqrt(dx * dx + dy * dy))


# The patient's axes in DICOM (LPS): +x towards the patient's left, +y posterior, +z head.
_LETTERS = (("R", "L"), ("A", "P"), ("F", "H"))  # (negative, positive) along x, y, z
OBLIQUE = 0.8  # a direction cosine below this names two axes ("LA"), as viewers do


def _letters(vector: Sequence[float]) -> str:
    ranked = sorted(range(3), key=lambda axis: -abs(vector[axis]))
    found = ""
    for axis in ranked:
        value = vector[axis]
        if abs(value) < 1e-3:
            break
        found += _LETTERS[axis][1 if value > 0 else 0]
        if abs(value) >= OBLIQUE:
            break
    return found


def edge_letters(orientation: Sequence[float] | None) -> dict[str, str] | None:
    """The patient directions at the image's four edges, from ImageOrientationPatient (the row
    direction, then the column direction): {"left": "R", "right": "L", "top": "A", "bottom": "P"}
    for an ordinary axial slice. None when the orientation is missing or nonsense."""
    if orientation is None or len(orientation) != 6:
        return None
    try:
        values = [float(v) for v in orientation]
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in values):
        return None
    row, column = values[:3], values[3:]
    if math.sqrt(sum(v * v for v in row)) < 0.5 or math.sqrt(sum(v * v for v in column)) < 0.5:
        return None
    right, bottom = _letters(row), _letters(column)
    left, top = _letters([-v for v in row]), _letters([-v for v in column])
    if not (right and bottom):
        return None
    return {"left": left, "right": right, "top": top, "bottom": bottom}


__all__ = [
    "SYNTHETIC_DESCRIPTION_PREFIX",
    "SYNTHETIC_MANUFACTURER",
    "distance_mm",
    "edge_letters",
    "is_synthetic",
    "round_tenth",
]
