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

from pydicom.dataset import Dataset
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


class CannotDecode(Exception):
    pass


def can_decode(syntax: UID) -> bool:
    if syntax in NATIVE:
        return True
    try:
        return bool(get_decoder(syntax).is_available)
    except (NotImplementedError, ValueError):
        return False


def compress(ds: Dataset) -> None:
    """Re-encode the pixel data of `ds` in place for storage (see the module's reasons)."""
    syntax = UID(ds.file_meta.TransferSyntaxUID)
    if syntax == STORED_SYNTAX or syntax in LOSSY:
        return
    try:
        pixels = None if syntax in NATIVE else ds.pixel_array
    except Exception as error:  # a decoder fails in many ways on broken data; all mean the same here
        raise CannotDecode(str(error)) from error
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


__all__ = ["STORED_SYNTAX", "CannotDecode", "can_decode", "compress"]
