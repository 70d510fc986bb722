"""Checking a file offered to the library (plain Python, no Django): a PDF, a PowerPoint deck
(PPTX) or an MP4 video, judged by its content as well as its name, and within the size allowed.

Files are read from a binary stream in pieces, so a 100 MB video is never held in memory whole.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
from dataclasses import dataclass
from typing import IO

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from lib.files import Problem, RejectedFile  # the same refusals as a case's attachments

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MP4 = "video/mp4"
EXTENSIONS = {".pdf": PDF, ".pptx": PPTX, ".mp4": MP4, ".m4v": MP4}
CANONICAL = {PDF: ".pdf", PPTX: ".pptx", MP4: ".mp4"}


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return PPTX  # a zip; whether it is a deck is checked below
    if head[4:8] == b"ftyp":
        return MP4  # ISO base media: MP4, M4V (and QuickTime's MOV, refused by its brand below)
    return None


_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"}


def check(name: str, stream: IO[bytes], *, max_bytes: int) -> CheckedFile:
    """Check the file against its name, its size and its structure. Raises RejectedFile. The
    stream is left at its start for whoever stores it."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    stream.seek(0)
    head = stream.read(16)
    if not head:
        raise RejectedFile(Problem.EMPTY)
    found = _sniff(head)
    if found is None:
        raise RejectedFile(Problem.MISMATCH if extension in EXTENSIONS else Problem.UNSUPPORTED)
    if extension and EXTENSIONS.get(extension) != found:
        raise RejectedFile(Problem.MISMATCH if extension in EXTENSIONS else Problem.UNSUPPORTED)
    if found == MP4 and head[8:12] not in _MP4_BRANDS:
        raise RejectedFile(Problem.UNSUPPORTED)
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    tail = b""
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise RejectedFile(Problem.TOO_LARGE)
        digest.update(chunk)
        tail = (tail + chunk)[-2048:]
    if found == PDF and b"%%EOF" not in tail:
        raise RejectedFile(Problem.DAMAGED)  # a PDF cut off mid-upload
    if found == PPTX:
        _check_deck(stream)
    elif found == PDF:
        _check_pdf(stream)
    else:
        _check_video(stream, size)
    stream.seek(0)
    return CheckedFile(found, CANONICAL[found], size, digest.hexdigest())


def _check_deck(stream: IO[bytes]) -> None:
    """A PPTX is a zip holding ppt/presentation.xml; any other zip (a .docx, an archive) is not."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RejectedFile(Problem.DAMAGED) from None
    if "[Content_Types].xml" not in names or "ppt/presentation.xml" not in names:
        raise RejectedFile(Problem.MISMATCH)


def _check_pdf(stream: IO[bytes]) -> None:
    """A PDF that opens, has pages and no password (every reader must be able to open it)."""
    stream.seek(0)
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            raise RejectedFile(Problem.UNSUPPORTED)
        if len(reader.pages) == 0:
            raise RejectedFile(Problem.DAMAGED)
    except RejectedFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, struct.error):
        raise RejectedFile(Problem.DAMAGED) from None


def _check_video(stream: IO[bytes], size: int) -> None:
    """The top-level boxes of an MP4 follow each other to the end of the file, and one of them is
    the movie header (moov) a player needs: a video cut off mid-upload fails here."""
    position, seen = 0, set()
    while position < size:
        stream.seek(position)
        header = stream.read(8)
        if len(header) < 8:
            raise RejectedFile(Problem.DAMAGED)
        length, kind = struct.unpack(">I4s", header)
        if length == 1:  # a 64-bit size follows the type
            extended = stream.read(8)
            if len(extended) < 8:
                raise RejectedFile(Problem.DAMAGED)
            (length,) = struct.unpack(">Q", extended)
        elif length == 0:  # the box runs to the end of the file
            length = size - position
        if length < 8 or position + length > size:
            raise RejectedFile(Problem.DAMAGED)
        seen.add(kind)
        position += length
    if b"moov" not in seen:
        raise RejectedFile(Problem.DAMAGED)
