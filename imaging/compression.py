"""Lossless compression of stored images.

JPEG-LS lossless (transfer syntax 1.2.840.10008.1.2.4.80), encoded by pydicom with pyjpegls
(CharLS). Chosen by bench/imaging.py on the real CT in shared/data/dicom, per 512 x 512 slice:

    JPEG-LS lossless     ratio 4.2 (GE, 16-bit signed) / 5.0 (Philips, 12-bit)   ~9 ms to encode
    JPEG 2000 lossless   ratio about the same, 2-4x slower to encode and decode
    HTJ2K lossless       7-8 % larger than JPEG-LS, very fast; few viewers decode it yet
    RLE / deflate        ratio about 2.4

JPEG-LS has the best ratio at a speed that keeps ingest ahead of the link, and every standard
viewer and toolkit decodes it (dcmtk, GDCM, Orthanc, pydicom, OHIF). Lossy input (JPEG baseline,
lossy JPEG 2000) is stored as received: re-encoding it losslessly would only make it larger.
"""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset
from pydicom.encaps import generate_frames
from pydicom.pixels import get_decoder
from pydicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEGLSLossless,
)

STORED_SYNTAX = JPEGLSLossless
NATIVE = {ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian, DeflatedExplicitVRLittleEndian}
# Lossy encodings are kept as they came.
LOSSY = {
    "1.2.840.10008.1.2.4.50",  # JPEG baseline
    "1.2.840.10008.1.2.4.51",  # JPEG extended
    "1.2.840.10008.1.2.4.81",  # JPEG-LS near-lossless
    "1.2.840.10008.1.2.4.91",  # JPEG 2000 (lossy allowed)
    "1.2.840.10008.1.2.4.203",  # HTJ2K (lossy allowed)
}


# Transfer syntaxes 1.2.840.10008.1.2.4.50 to .203: JPEG, JPEG-LS, JPEG 2000, HTJ2K.
JPEG_FAMILY = "1.2.840.10008.1.2.4."


class CannotDecode(Exception):
    pass


def can_decode(syntax: UID) -> bool:
    if syntax in NATIVE:
        return True
    try:
        return bool(get_decoder(syntax).is_available)
    except (NotImplementedError, ValueError):
        return False


def _complete_streams(ds: Dataset, frames: int) -> bool:
    """Whether every frame's JPEG, JPEG-LS or JPEG 2000 stream ends with its end marker (EOI,
    or EOC for JPEG 2000: both FF D9). The decoders fill a stream cut short with grey or
    zeros instead of failing, so a truncated file would otherwise be stored as a half image."""
    try:
        for frame in generate_frames(ds.PixelData, number_of_frames=frames):
            if not frame.rstrip(b"\x00").endswith(b"\xff\xd9"):
                return False
    except (ValueError, TypeError, KeyError, IndexError):
        return False
    return True


def decode(ds: Dataset) -> np.ndarray:
    """Every frame's pixels, decoded: whatever cannot be decoded now would fail every rendering
    later, so ingest refuses it (and the text detector needs the pixels anyway)."""
    syntax = UID(ds.file_meta.TransferSyntaxUID)
    if syntax.startswith(JPEG_FAMILY) and not _complete_streams(ds, int(ds.get("NumberOfFrames") or 1)):
        raise CannotDecode("incomplete stream")
    try:
        pixels = ds.pixel_array
    except Exception as error:  # a decoder fails in many ways on broken data; all mean the same here
        raise CannotDecode(type(error).__name__) from error
    frames, rows, columns = int(ds.get("NumberOfFrames") or 1), int(ds.Rows), int(ds.Columns)
    if pixels.shape[: 3 if frames > 1 else 2] != ((frames, rows, columns) if frames > 1 else (rows, columns)):
        raise CannotDecode("shape")  # a stream that decodes to fewer frames or lines than declared
    return pixels


def compress(ds: Dataset, pixels: np.ndarray | None = None) -> None:
    """Re-encode the pixel data of `ds` in place for storage (see the module's reasons).
    `pixels` are the already decoded pixels of `ds`, when the caller has them."""
    syntax = UID(ds.file_meta.TransferSyntaxUID)
    if syntax == STORED_SYNTAX or syntax in LOSSY:
        return
    if pixels is None and syntax not in NATIVE:
        pixels = decode(ds)
    if int(ds.get("BitsAllocated", 16)) > 16:
        # JPEG-LS stops at 16 bits; keep such rare objects uncompressed rather than lose anything.
        if pixels is not None:
            ds.PixelData = pixels.tobytes()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        return
    try:
        # Keep the SOP Instance UID: pydicom would otherwise give the compressed copy a new one.
        ds.compress(STORED_SYNTAX, arr=pixels, encoding_plugin="pyjpegls", generate_instance_uid=False)
    except Exception as error:
        raise CannotDecode(str(error)) from error


def reencode(ds: Dataset, pixels: np.ndarray) -> None:
    """Replace the pixel data of `ds` with `pixels` (changed in the shared copy: masked text),
    encoded as stored copies are. A lossy or YBR object comes out as lossless RGB: re-encoding
    the lossy way would lose more, and pydicom decodes YBR to RGB."""
    if int(ds.get("SamplesPerPixel") or 1) > 1:
        ds.PhotometricInterpretation = "RGB"
        ds.PlanarConfiguration = 0
    ds.PixelData = np.ascontiguousarray(pixels).tobytes()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    compress(ds)


__all__ = ["STORED_SYNTAX", "CannotDecode", "can_decode", "compress", "decode", "reencode"]
