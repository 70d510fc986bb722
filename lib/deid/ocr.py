"""Reading the text in an image, to confirm and locate what `lib.deid.pixel_text` suspects.

RapidOCR (the `rapidocr-onnxruntime` package, PP-OCR models run by ONNX Runtime) rather than
Tesseract: its wheel carries its own Chinese-and-English detection and recognition models, so it
installs from the lock files without root and loads with no network, and it reads Chinese
screens far better than Tesseract's chi_sim. It is slow (about half a second for a 512 x 512
image on one core), so it only runs on images that are already waiting for review, when the
referrer lets them go. When it cannot be loaded the callers fall back on the detector alone:
OCR never decides that an image may leave unreviewed.

The text it reads is patient data: only where it is (boxes) is returned, never what it says.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np

from lib.deid.pixel_text import Box, luminance

logger = logging.getLogger(__name__)

MIN_SCORE = 0.5  # recognition confidence under which a box is not counted as text
_lock = threading.Lock()
_engine: Any = None
_failed = False


def _load() -> Any:
    global _engine, _failed
    with _lock:
        if _engine is None and not _failed:
            try:
                from rapidocr_onnxruntime import RapidOCR  # heavy (ONNX Runtime, OpenCV): on first use

                _engine = RapidOCR()
            except Exception as error:  # missing package, missing model, broken runtime: all the same
                logger.warning("OCR is not available: %s", type(error).__name__)
                _failed = True
        return _engine


def available() -> bool:
    return _load() is not None


def as_picture(pixels: np.ndarray, *, inverted: bool = False) -> np.ndarray:
    """One frame stretched to 8-bit RGB over its own range (printed text is usually at the top of
    it), as the OCR models expect."""
    grey = luminance(pixels)
    low, high = float(grey.min()), float(grey.max())
    scaled = ((grey - low) / max(high - low, 1e-6) * 255.0).astype(np.uint8)
    if inverted:  # MONOCHROME1: white is the minimum
        scaled = 255 - scaled
    if pixels.ndim == 3:
        picture = pixels[..., :3]
        return picture if picture.dtype == np.uint8 else np.repeat(scaled[..., None], 3, axis=2)
    return np.repeat(scaled[..., None], 3, axis=2)


def text_boxes(pixels: np.ndarray, *, inverted: bool = False, recognise: bool = False) -> list[Box] | None:
    """Boxes around each line of text in one frame; None when OCR is unavailable.

    For masking, the detection model alone (`recognise=False`, twice as fast): it finds lines of
    text in any script, also those the recogniser reads with little confidence, and masking
    should err on the side of covering. With `recognise`, only lines read as text count."""
    engine = _load()
    if engine is None:
        return None
    picture = as_picture(pixels, inverted=inverted)
    with _lock:  # one model, one image at a time
        if recognise:
            result, _elapsed = engine(picture)
            lines = [c for c, text, score in result or [] if str(text).strip() and float(score) >= MIN_SCORE]
        else:
            result, _elapsed = engine(picture, use_det=True, use_cls=False, use_rec=False)
            lines = list(result or [])
    boxes = []
    for corners in lines:
        xs = [float(point[0]) for point in corners]
        ys = [float(point[1]) for point in corners]
        x, y = max(int(min(xs)) - 2, 0), max(int(min(ys)) - 2, 0)
        right = min(int(max(xs)) + 3, pixels.shape[1])
        bottom = min(int(max(ys)) + 3, pixels.shape[0])
        if right > x and bottom > y:
            boxes.append(Box(x, y, right - x, bottom - y))
    return boxes


__all__ = ["available", "as_picture", "text_boxes"]
