"""Windowed 8-bit renderings of a slice: what a phone on a slow link loads first.

Plain Python (numpy, Pillow). The consultant scrolls through these small images at once; the
lossless frames come only when asked for, for full-quality viewing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image
from pydicom.dataset import Dataset


@dataclass(frozen=True)
class Window:
    center: float
    width: float


# Hounsfield units. Stroke: the narrow window that shows early grey-white loss.
PRESETS = {
    "brain": Window(40, 80),
    "subdural": Window(75, 200),
    "stroke": Window(32, 8),
    "bone": Window(600, 2800),
}
RENDER_QUALITY = 70  # WebP: a 512 x 512 brain slice is a few tens of KB


def hounsfield(ds: Dataset) -> np.ndarray:
    """The first frame's stored values through the modality rescale (CT: Hounsfield units)."""
    pixels = ds.pixel_array
    if int(ds.get("NumberOfFrames") or 1) > 1:
        pixels = pixels[0]
    slope = float(ds.get("RescaleSlope", 1) or 1)
    intercept = float(ds.get("RescaleIntercept", 0) or 0)
    return pixels.astype(np.float32) * slope + intercept


def windowed(values: np.ndarray, window: Window) -> np.ndarray:
    """PS3.3 C.11.2.1.2 linear windowing to 0-255."""
    low = window.center - 0.5 - (window.width - 1) / 2
    scaled = (values - low) / max(window.width - 1, 1) * 255.0
    return np.clip(scaled, 0, 255).astype(np.uint8)


def colour(ds: Dataset) -> Image.Image:
    """A colour object (a photograph, a screen capture, ultrasound) as it looks: no window."""
    pixels = ds.pixel_array  # pydicom gives RGB, converting YBR encodings
    if int(ds.get("NumberOfFrames") or 1) > 1:
        pixels = pixels[0]
    if pixels.dtype != np.uint8:
        top = float(pixels.max()) or 1.0
        pixels = (pixels.astype(np.float32) / top * 255).astype(np.uint8)
    return Image.fromarray(pixels[..., :3], mode="RGB")


def render(ds: Dataset, window: Window, *, size: int | None = None, image_format: str = "WEBP") -> bytes:
    """One slice as a compressed 8-bit image; `size` limits the longer side (thumbnails)."""
    if int(ds.get("SamplesPerPixel") or 1) > 1:
        image = colour(ds)
    else:
        image = Image.fromarray(windowed(hounsfield(ds), window), mode="L")
    if str(ds.get("PhotometricInterpretation", "")) == "MONOCHROME1":
        image = Image.eval(image, lambda v: 255 - v)
    if size:
        image.thumbnail((size, size))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, quality=RENDER_QUALITY, method=4)
    return buffer.getvalue()


__all__ = ["PRESETS", "Window", "hounsfield", "render", "windowed"]
