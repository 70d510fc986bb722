"""Checking and cleaning what a referrer attaches (plain Python with Pillow, no Django).

A file must be what its name says; photos are re-encoded so that no EXIF or GPS data (the
place and time a phone recorded) travels with them.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

# Refuse images that would take too much memory once decoded (a "decompression bomb").
MAX_PIXELS = 40_000_000


class Kind(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"


class Problem(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    MISMATCH = "mismatch"  # the content is not what the name says
    DAMAGED = "damaged"


class RejectedFile(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class CleanFile:
    kind: Kind
    content: bytes
    content_type: str
    extension: str
    sha256: str


_SIGNATURES = {
    b"%PDF-": ("application/pdf", Kind.DOCUMENT, ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", Kind.PHOTO, ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", Kind.PHOTO, ".png"),
}
_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def sniff(head: bytes) -> tuple[str, Kind, str] | None:
    for signature, found in _SIGNATURES.items():
        if head.startswith(signature):
            return found
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ("image/webp", Kind.PHOTO, ".webp")
    return None


def clean(name: str, content: bytes, *, max_bytes: int) -> CleanFile:
    """Check the file against its name and size; strip photo metadata. Raises RejectedFile."""
    if not content:
        raise RejectedFile(Problem.EMPTY)
    if len(content) > max_bytes:
        raise RejectedFile(Problem.TOO_LARGE)
    found = sniff(content[:16])
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if found is None:
        raise RejectedFile(Problem.MISMATCH if extension in _EXTENSIONS else Problem.UNSUPPORTED)
    content_type, kind, canonical = found
    # A name without an extension is judged by its content; any other name must match it.
    if extension and _EXTENSIONS.get(extension) != content_type:
        raise RejectedFile(Problem.MISMATCH)
    if kind is Kind.PHOTO:
        content, content_type, canonical = _strip_photo(content)
    else:
        if b"%%EOF" not in content[-2048:]:
            raise RejectedFile(Problem.DAMAGED)  # a PDF cut off mid-upload
        content = _strip_pdf(content)
    return CleanFile(kind, content, content_type, canonical, hashlib.sha256(content).hexdigest())


def _strip_pdf(content: bytes) -> bytes:
    """Rewrite the PDF without its document information and XMP metadata (author, title,
    software), which scanners and word processors fill with names."""
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise RejectedFile(Problem.UNSUPPORTED)
        writer = PdfWriter(clone_from=reader)
    except RejectedFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise RejectedFile(Problem.DAMAGED) from None
    writer._info = None  # drop the Info dictionary entirely
    if "/Metadata" in writer._root_object:
        del writer._root_object["/Metadata"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _strip_photo(content: bytes) -> tuple[bytes, str, str]:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise RejectedFile(Problem.TOO_LARGE)
            image.load()
            # Turn the picture upright first: the orientation lives in the EXIF we drop.
            upright = ImageOps.exif_transpose(image) or image
            out = io.BytesIO()
            if upright.mode in ("RGBA", "LA", "P") and image.format == "PNG":
                upright.save(out, format="PNG", optimize=True)
                return out.getvalue(), "image/png", ".png"
            upright.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
            return out.getvalue(), "image/jpeg", ".jpg"
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise RejectedFile(Problem.DAMAGED) from None
