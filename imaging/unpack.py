"""The files inside an upload: one DICOM file, or a zip of a CD, a folder or a PACS export.

Plain Python. Nothing is extracted to disk: each member is read into memory on its own, so a
path with ".." or an absolute path cannot write anywhere (it is still refused, and said so),
and a zip bomb is stopped by its declared and its actual sizes before it fills memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from typing import IO

# One CT image is under 1 MB; a 2,000-image export is under 2 GB. Ratios: CT compresses ~2-5x
# in a zip; anything past 100x is built to explode.
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_RATIO = 100


class Problem(StrEnum):
    UNSAFE_PATH = "unsafe_path"
    ZIP_BOMB = "zip_bomb"
    TOO_MANY_FILES = "too_many_files"
    BROKEN_ZIP = "broken_zip"
    ENCRYPTED = "encrypted"


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes | None  # None when refused
    problem: Problem | None = None


def is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":")


def members(source: IO[bytes]) -> Iterator[Member]:
    """Every file in the zip, in order; folders and macOS resource forks are left out silently."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        yield Member("", None, Problem.BROKEN_ZIP)
        return
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
        if len(infos) > MAX_MEMBERS:
            yield Member("", None, Problem.TOO_MANY_FILES)
            return
        declared = sum(i.file_size for i in infos)
        if declared > MAX_TOTAL_BYTES:
            yield Member("", None, Problem.ZIP_BOMB)
            return
        for info in infos:
            name = info.filename
            if _unsafe(name):
                yield Member(name, None, Problem.UNSAFE_PATH)
                continue
            if info.flag_bits & 0x1:
                yield Member(name, None, Problem.ENCRYPTED)
                continue
            if info.file_size > MAX_MEMBER_BYTES or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO
            ):
                yield Member(name, None, Problem.ZIP_BOMB)
                continue
            try:
                with archive.open(info) as member:
                    # Read one byte past the declared size: a lying header shows itself here.
                    data = member.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
                yield Member(name, None, Problem.BROKEN_ZIP)
                continue
            if len(data) > info.file_size:
                yield Member(name, None, Problem.ZIP_BOMB)
                continue
            yield Member(name, data)


__all__ = ["Member", "Problem", "is_zip", "members"]
