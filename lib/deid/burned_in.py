"""Which objects may carry identifiers in their pixels, and so wait for a person to look.

The header's BurnedInAnnotation flag is not trusted on its own: secondary and screen captures,
dose reports, derived images, documents and photographs often have names and dates drawn into
the image whatever the flag says. Anything matched here is quarantined until the referrer has
reviewed it (and may exclude it) before it is shared. Plain Python over a pydicom dataset.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydicom.dataset import Dataset


class Suspicion(StrEnum):
    BURNED_IN_ANNOTATION = "burned_in_annotation"  # flag present and not NO
    SECONDARY_CAPTURE = "secondary_capture"
    SCREEN_OR_DOSE_REPORT = "screen_or_dose_report"
    DERIVED_IMAGE = "derived_image"
    DOCUMENT_OR_REPORT = "document_or_report"
    PHOTOGRAPH = "photograph"


SECONDARY_CAPTURE_CLASSES = {
    "1.2.840.10008.5.1.4.1.1.7",  # Secondary Capture Image
    "1.2.840.10008.5.1.4.1.1.7.1",  # Multi-frame Single Bit SC
    "1.2.840.10008.5.1.4.1.1.7.2",  # Multi-frame Grayscale Byte SC
    "1.2.840.10008.5.1.4.1.1.7.3",  # Multi-frame Grayscale Word SC
    "1.2.840.10008.5.1.4.1.1.7.4",  # Multi-frame True Color SC
}
STRUCTURED_REPORT_PREFIX = "1.2.840.10008.5.1.4.1.1.88."  # includes the radiation dose SRs
ENCAPSULATED_DOCUMENT_PREFIX = "1.2.840.10008.5.1.4.1.1.104."
VISIBLE_LIGHT_PREFIX = "1.2.840.10008.5.1.4.1.1.77."
DOCUMENT_MODALITIES = {"SR", "DOC", "KO", "PR", "OT"}
PHOTO_MODALITIES = {"XC", "GM", "SM", "ES"}
# Whole words: Philips calls its reconstruction "iDose", which is no dose report.
SCREEN_WORDS = re.compile(r"\b(?:SCREEN|DOSE|REPORT|SUMMARY|PATIENT PROTOCOL)\b")


def suspicions(ds: Dataset) -> list[Suspicion]:
    """Why this object's pixels cannot be trusted without review; empty when they can."""
    found: list[Suspicion] = []
    sop_class = str(ds.get("SOPClassUID", ""))
    modality = str(ds.get("Modality", "")).upper()
    image_type = [str(v).upper() for v in (ds.get("ImageType") or [])]
    words = " ".join(
        [*image_type, str(ds.get("SeriesDescription", "")).upper(), str(ds.get("ImageComments", "")).upper()]
    )
    burned_in = str(ds.get("BurnedInAnnotation", "")).strip().upper()
    if burned_in and burned_in != "NO":
        found.append(Suspicion.BURNED_IN_ANNOTATION)
    if sop_class in SECONDARY_CAPTURE_CLASSES or "ConversionType" in ds:
        found.append(Suspicion.SECONDARY_CAPTURE)
    if SCREEN_WORDS.search(words):
        found.append(Suspicion.SCREEN_OR_DOSE_REPORT)
    if "DERIVED" in image_type or "SECONDARY" in image_type:
        found.append(Suspicion.DERIVED_IMAGE)
    if (
        sop_class.startswith((STRUCTURED_REPORT_PREFIX, ENCAPSULATED_DOCUMENT_PREFIX))
        or modality in DOCUMENT_MODALITIES
    ):
        found.append(Suspicion.DOCUMENT_OR_REPORT)
    if sop_class.startswith(VISIBLE_LIGHT_PREFIX) or modality in PHOTO_MODALITIES:
        found.append(Suspicion.PHOTOGRAPH)
    return found


__all__ = ["Suspicion", "suspicions"]
