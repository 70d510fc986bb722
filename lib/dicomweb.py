"""The DICOMweb protocol (PS3.18), apart from who may see what: media types and the Accept
header, multipart/related bodies in both directions, DICOM JSON and the Store Instances
Response. Plain Python and pydicom; the endpoints are in `imaging.dicomweb`.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import pydicom
from pydicom.errors import InvalidDicomError
from pydicom.uid import ExplicitVRLittleEndian, JPEGLSLossless

DICOM_JSON = "application/dicom+json"
DICOM = "application/dicom"
OCTETS = "application/octet-stream"
JLS = "image/jls"
NATIVE = str(ExplicitVRLittleEndian)
STORED = "*"  # send each file in its own transfer syntax
READ_SIZE = 1 << 20

# PS3.18 Store Instances Response codes.
COERCED = 0xB000  # warning: stored de-identified, with new UIDs
DISCARDED = 0xB006  # warning: the same object was already held; the first copy is kept
OUT_OF_RESOURCES = 0xA700
CANNOT_UNDERSTAND = 0xC000
PROCESSING_FAILURE = 0x0110
SOP_CLASS_NOT_SUPPORTED = 0x0122
NOT_AUTHORIZED = 0x0124


# --- Media types: the Accept and Content-Type headers ---------------------------------------


@dataclass(frozen=True)
class MediaRange:
    media: str  # "multipart/related", "application/dicom+json", "*/*"
    type: str = ""  # the part type of a multipart range, without quotes
    transfer_syntax: str | None = None
    q: float = 1.0
    params: dict[str, str] = field(default_factory=dict, compare=False)


def _split(value: str, separator: str) -> list[str]:
    """Split on `separator` outside double quotes."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_media(value: str) -> MediaRange:
    media, *rest = _split(value, ";") or [""]
    params: dict[str, str] = {}
    for item in rest:
        key, _eq, val = item.partition("=")
        params[key.strip().lower()] = val.strip().strip('"')
    try:
        q = float(params.get("q", "1"))
    except ValueError:
        q = 1.0
    return MediaRange(
        media=media.lower(),
        type=params.get("type", "").lower(),
        transfer_syntax=params.get("transfer-syntax") or None,
        q=q,
        params=params,
    )


def parse_accept(header: str) -> list[MediaRange]:
    """The acceptable media ranges, most wanted first; an empty header means anything."""
    ranges = [parse_media(item) for item in _split(header, ",")]
    return sorted((r for r in ranges if r.q > 0), key=lambda r: -r.q) or [MediaRange("*/*")]


ANY_PART = {"", "*", "*/*", "application/*"}


def instance_syntax(ranges: list[MediaRange], stored: set[str]) -> str | None:
    """What to send for application/dicom parts: STORED, NATIVE (decompressed), or None (406)."""
    for r in ranges:
        if r.media in ("*/*", "multipart/*") or (r.media == "multipart/related" and r.type in ANY_PART):
            if r.transfer_syntax in (None, STORED):
                return STORED  # the client does not mind: the smaller stored file
        elif not (r.media == "multipart/related" and r.type == DICOM):
            continue
        syntax = r.transfer_syntax
        if syntax == STORED or (syntax is not None and stored == {syntax}):
            return STORED
        if syntax in (None, NATIVE):
            return NATIVE  # the standard's default for application/dicom
    return None


def frame_media(ranges: list[MediaRange], stored: str) -> str | None:
    """OCTETS (decoded frames), JLS (the stored JPEG-LS frames) or None (406)."""
    for r in ranges:
        multipart = r.media == "multipart/related"
        anything = r.media in ("*/*", "multipart/*") or (multipart and r.type in ANY_PART)
        if (anything or (multipart and r.type == OCTETS)) and r.transfer_syntax in (None, STORED, NATIVE):
            return OCTETS
        as_stored = anything or (multipart and r.type in (JLS, "image/*"))
        if (
            as_stored
            and stored == JPEGLSLossless
            and r.transfer_syntax in (None, STORED, str(JPEGLSLossless))
        ):
            return JLS
    return None


def accepts_json(header: str) -> bool:
    return any(
        r.media in ("*/*", "application/*", DICOM_JSON, "application/json") for r in parse_accept(header)
    )


# --- Multipart bodies ------------------------------------------------------------------------


def new_boundary() -> str:
    return secrets.token_hex(16)


def multipart(boundary: str, parts: Iterable[tuple[str, Callable[[], Iterable[bytes]]]]) -> Iterator[bytes]:
    """A multipart/related body; each part's content is produced only when its turn comes."""
    for content_type, content in parts:
        yield f"--{boundary}\r\nContent-Type: {content_type}\r\n\r\n".encode()
        yield from content()
        yield b"\r\n"
    yield f"--{boundary}--\r\n".encode()


@dataclass
class Part:
    headers: dict[str, str]
    data: bytes
    complete: bool = True  # False: the request ended inside this part
    too_large: bool = False


class MultipartError(Exception):
    pass


class _Reader:
    """A buffer over the stream, filled one read at a time."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.buffer = bytearray()
        self.ended = False

    def fill(self) -> None:
        chunk = self.stream.read(READ_SIZE)
        if chunk:
            self.buffer.extend(chunk)
        else:
            self.ended = True

    def skip_preamble(self, opening: bytes) -> None:
        # A preamble before the first boundary is allowed and ignored.
        buffer = self.buffer
        while (start := buffer.find(opening)) < 0:
            if self.ended:
                raise MultipartError("no boundary")
            del buffer[: max(0, len(buffer) - len(opening))]
            self.fill()
        del buffer[: start + len(opening)]

    def end_of_boundary_line(self) -> bool:
        """Past the rest of a boundary line; False at the closing boundary or the end."""
        buffer = self.buffer
        while len(buffer) < 2 and not self.ended:
            self.fill()
        if buffer.startswith(b"--"):
            return False  # the closing boundary
        while (eol := buffer.find(b"\r\n")) < 0 and not self.ended:
            self.fill()
        if eol < 0:
            return False
        del buffer[: eol + 2]  # the rest of the boundary line (transport padding)
        return True

    def headers(self) -> dict[str, str]:
        buffer = self.buffer
        while (end := buffer.find(b"\r\n\r\n")) < 0 and not buffer.startswith(b"\r\n"):
            if self.ended or len(buffer) > 64 * 1024:
                raise MultipartError("part headers")
            self.fill()
        head = b"" if buffer.startswith(b"\r\n") else bytes(buffer[:end])
        del buffer[: 2 if not head else end + 4]
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, _colon, value = line.partition(":")
            if name.strip():
                headers[name.strip().lower()] = value.strip()
        return headers

    def body(self, headers: dict[str, str], closing: bytes, max_part: int) -> Part:
        buffer = self.buffer
        body = bytearray()
        too_large = False
        while (stop := buffer.find(closing)) < 0:
            if self.ended:
                return Part(headers, bytes(body) + bytes(buffer), complete=False, too_large=too_large)
            keep = len(closing) - 1  # a boundary may straddle two reads
            if len(buffer) > keep:
                if not too_large:
                    body.extend(buffer[:-keep])
                del buffer[:-keep]
            if len(body) > max_part:
                too_large, body = True, bytearray()
            self.fill()
        if not too_large:
            body.extend(buffer[:stop])
        del buffer[: stop + len(closing)]
        return Part(headers, b"" if too_large else bytes(body), too_large=too_large or len(body) > max_part)


def read_parts(stream: IO[bytes], boundary: str, max_part: int) -> Iterator[Part]:
    """The parts of a multipart body read from `stream`, one at a time (a study is never held in
    memory at once). A part over `max_part` bytes is read through and given without its data."""
    opening, closing = b"--" + boundary.encode("latin-1"), b"\r\n--" + boundary.encode("latin-1")
    reader = _Reader(stream)
    reader.skip_preamble(opening)
    while reader.end_of_boundary_line():
        part = reader.body(reader.headers(), closing, max_part)
        yield part
        if not part.complete:
            return


# --- DICOM JSON --------------------------------------------------------------------------------


def element(vr: str, *values: Any) -> dict[str, Any]:
    kept = [v for v in values if v is not None and v != ""]
    return {"vr": vr, "Value": kept} if kept else {"vr": vr}


def in_tag_order(found: dict[str, Any]) -> dict[str, Any]:
    return dict(sorted(found.items()))


def patient(pseudonym: str) -> dict[str, Any]:
    """Patient's Name and Patient ID: the pseudonym in both."""
    return {"00100010": element("PN", {"Alphabetic": pseudonym}), "00100020": element("LO", pseudonym)}


def dataset_json(ds: pydicom.Dataset, transfer_syntax: str, pseudonym: str) -> dict[str, Any]:
    """A header as DICOM JSON (bulk data inline), with its Available Transfer Syntax UID and the
    patient named by `pseudonym`."""
    found = ds.to_json_dict(bulk_data_threshold=1 << 30, suppress_invalid_tags=True)
    found["00083002"] = element("UI", transfer_syntax)  # Available Transfer Syntax UID
    found |= patient(pseudonym)
    return in_tag_order(found)


def sent_uids(data: bytes) -> tuple[str, str]:
    """The SOP Class and Instance UIDs as sent, when the part is readable enough to say."""
    try:
        ds = pydicom.dcmread(
            io.BytesIO(data), stop_before_pixels=True, specific_tags=["SOPClassUID", "SOPInstanceUID"]
        )
        return str(ds.get("SOPClassUID", "") or ""), str(ds.get("SOPInstanceUID", "") or "")
    except (InvalidDicomError, EOFError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return "", ""


# --- The Store Instances Response --------------------------------------------------------------


@dataclass
class PartResult:
    """One line of the Store Instances Response: stored (perhaps with a warning) or failed."""

    sop_class: str
    sop_uid: str  # as the sender knows it
    code: int  # the Warning Reason when stored, the Failure Reason when not
    message: str = ""  # for the sender, in their language
    retrieve_url: str = ""
    stored: bool = True

    def as_json(self) -> dict[str, Any]:
        item = {
            "00081150": element("UI", self.sop_class),
            "00081155": element("UI", self.sop_uid),
            "00081196" if self.stored else "00081197": element("US", self.code),
        }
        if self.retrieve_url:
            item["00081190"] = element("UR", self.retrieve_url)
        if self.message:
            item["0040A160"] = element("UT", self.message)  # Text Value: the reason in words
        return in_tag_order(item)


@dataclass
class StowOutcome:
    results: list[PartResult] = field(default_factory=list)

    @property
    def status(self) -> int:
        stored = [r for r in self.results if r.stored]
        if len(stored) == len(self.results):
            return 200
        return 202 if stored else 409

    def as_json(self) -> dict[str, Any]:
        found = {"00081199": {"vr": "SQ", "Value": [r.as_json() for r in self.results if r.stored]}}
        if failed := [r.as_json() for r in self.results if not r.stored]:
            found["00081198"] = {"vr": "SQ", "Value": failed}
        return in_tag_order(found)
