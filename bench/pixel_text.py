"""Burned-in text detector benchmark on the real CT in ../shared/data/dicom/.

    .venv/bin/python bench/pixel_text.py

Every slice shared with consultants abroad goes through `lib.deid.pixel_text.find_text`, so its
cost is paid once per image at ingest. Measured in one run against its baseline from the same
run: decoding the same slice's pixels (what ingest pays anyway), printed as a ratio for context.
Target: a median of at most 15 ms a slice on this 2-core machine (run it on a quiet machine).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import pydicom

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.deid.pixel_text import find_text  # noqa: E402

DICOM_DATA = Path(os.environ.get("NEURODARAJA_DICOM_DATA", ROOT.parent / "shared/data/dicom"))
TARGET_MS = 15.0


def main() -> int:
    paths = [p for p in sorted(DICOM_DATA.glob("*/*")) if p.suffix.lower() in ("", ".dcm")]
    datasets = []
    for path in paths:
        try:
            ds = pydicom.dcmread(path)
        except pydicom.errors.InvalidDicomError:
            continue
        if "PixelData" in ds:
            datasets.append(ds)
    if not datasets:
        print(f"No DICOM under {DICOM_DATA}")
        return 2
    decode_ms, detect_ms = [], []
    for ds in datasets:
        started = time.perf_counter()
        pixels = ds.pixel_array
        decode_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        find_text(pixels, 300)
        detect_ms.append((time.perf_counter() - started) * 1000)
    decode, detect = statistics.median(decode_ms), statistics.median(detect_ms)
    ratio = detect / decode if decode else float("inf")
    good = detect <= TARGET_MS
    print(f"{len(datasets)} slices")
    print(f"  decode pixels (baseline) median {decode:6.2f} ms")
    print(
        f"  find_text               median {detect:6.2f} ms  p95 {sorted(detect_ms)[int(0.95 * len(detect_ms))]:6.2f} ms"
    )
    print(f"  ratio {ratio:.2f} x   target: median <= {TARGET_MS} ms   {'ok' if good else 'MISSES TARGET'}")
    return 0 if good else 1


if __name__ == "__main__":
    raise SystemExit(main())
