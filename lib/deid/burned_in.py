"""Which objects may carry identifiers in their pixels, and so wait for a person to look.

The header's BurnedInAnnotation flag is not trusted on its own: secondary and screen captures,
dose reports, derived images, documents and photographs often have names and dates drawn into
the image whatever the flag says. Anything matched here is quarantined until the referrer has
reviewed it (and may exclude it) before it is shared. Plain Python over a pydicom dataset.

The header can lie, or say nothing: the pixels themselves are looked at too, at ingest
(`lib.deid.pixel_text`, which gives TEXT_IN_PIXELS). Here, a "CT" in colour or without a pixel
spacing is not what a CT scanner writes, but what a screen capture relabelled as CT looks like.
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
    TEXT_IN_PIXELS = "text_in_pixels"  # the pixels look like printed text (lib.deid.pixel_text)
    COLOUR_CT = "colour_ct"
    CT_WITHOUT_SPACING = "ct_without_spacing"


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
DESCRIBING = ("SeriesDescription", "ImageComments", "DerivationDescription")
DOCUMENT_MODALITIES = {"SR", "DOC", "KO", "PR", "OT"}
PHOTO_MODALITIES = {"XC", "GM", "SM", "ES"}
# Whole words: Philips calls its reconstruction "iDose", which is no dose report. Chinese scanners
# and workstations write 屏幕/截屏/截图 (screen, screen capture), 剂量 (dose), 报告 (report),
# 摘要 (summary), 患者/病人信息 (patient information); Chinese has no word boundaries.
SCREEN_WORDS = re.compile(
    r"\b(?:SCREEN|DOSE|REPORT|SUMMARY|PATIENT PROTOCOL)\b"
    r"|屏幕|截屏|截图|剂量|报告|摘要|(?:患者|病人)(?:信息|资料|协议)"
)
CT_CLASS_PREFIX = "1.2.840.10008.5.1.4.1.1.2"  # CT Image Storage and Enhanced CT
GREY = {"MONOCHROME1", "MONOCHROME2"}


def suspicions(ds: Dataset) -> list[Suspicion]:
    """Why this object's pixels cannot be trusted without review; empty when they can."""
    found: list[Suspicion] = []
    sop_class = str(ds.get("SOPClassUID", ""))
    modality = str(ds.get("Modality", "")).upper()
    image_type = [str(v).upper() for v in (ds.get("ImageType") or [])]
    words = " ".join(
        [
            *image_type,
            *(str(ds.get(keyword, "")).upper() for keyword in DESCRIBING),
        ]
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
    if modality == "CT" or sop_class.startswith(CT_CLASS_PREFIX):
        photometric = str(ds.get("PhotometricInterpretation", "")).strip().upper()
        if int(ds.get("SamplesPerPixel") or 1) > 1 or (photometric and photometric not in GREY):
            found.append(Suspicion.COLOUR_CT)
        if not _has_spacing(ds):
            found.append(Suspicion.CT_WITHOUT_SPACING)
    return found


def _has_spacing(ds: Dataset) -> bool:
    """A CT slice knows its pixel size: in PixelSpacing, or (enhanced CT) in the functional groups."""
    spacing = ds.get("PixelSpacing")
    if not spacing and "SharedFunctionalGroupsSequence" in ds:
        for group in ds.SharedFunctionalGroupsSequence:
            for measures in group.get("PixelMeasuresSequence") or []:
                spacing = measures.get("PixelSpacing")
    try:
        return bool(spacing) and len(spacing) == 2 and all(float(v) > 0 for v in spacing)
    except (TypeError, ValueError):
        return False


__all__ = ["Suspicion", "suspicions"]
