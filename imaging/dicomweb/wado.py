"""WADO-RS: a study, a series or an instance the person may see, as the stored DICOM files (or
uncompressed), as their metadata, or frame by frame; a retrieval from abroad is audited with its
case, once per request."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pydicom
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydicom.encaps import generate_frames
from pydicom.pixels import pixel_array
from pydicom.uid import UID, ExplicitVRLittleEndian, JPEGLSLossless

from accounts.models import User
from consultations.access import case_access
from imaging import audit_actions as acts
from imaging.access import ImagingAccess
from imaging.dicomweb.common import Refused, endpoint, multipart_answer, pseudonym, require_json
from imaging.ingest import MAX_PIXELS
from imaging.models import Instance
from imaging.visibility import visible_instances
from lib.dicomweb import (
    DICOM,
    DICOM_JSON,
    JLS,
    NATIVE,
    READ_SIZE,
    STORED,
    dataset_json,
    frame_media,
    instance_syntax,
    parse_accept,
)


def _instances(
    user: User, study: str, series: str | None = None, instance: str | None = None
) -> list[Instance]:
    found = (
        visible_instances(user)
        .select_related("series__study__case")
        .filter(series__study__study_uid=study)
        .order_by("series__number", "series_id", "slice_position", "number", "pk")
    )
    if series is not None:
        found = found.filter(series__series_uid=series)
    if instance is not None:
        found = found.filter(sop_uid=instance)
    instances = list(found)
    if not instances:
        raise Http404
    return instances


def audit(user: User, request: HttpRequest, instances: list[Instance], what: str, **detail: object) -> None:
    """A retrieval from outside the case's referring team is recorded with its case, once per
    sitting, kind and series as the viewer's reads are (a DICOMweb viewer fetches one request per
    frame); unattached studies are only seen by their own hospital."""
    study = instances[0].series.study
    if study.case is None:
        return
    series = {i.series.series_uid for i in instances}
    access = ImagingAccess(user=user, case_access=case_access(user, study.case))
    acts.record_read(
        acts.IMAGING_RETRIEVED,
        study.case,
        user,
        request,
        in_referring_team=access.manages,
        scope={"what": what, "series": series.pop() if len(series) == 1 else "", "study": study.study_uid},
        instances=str(len(instances)),
        **{k: str(v) for k, v in detail.items()},
    )


# --- Instances and their metadata --------------------------------------------------------------


def read_metadata(instance: Instance) -> dict[str, Any]:
    """The stored (de-identified) header, without the pixel data: viewers fetch frames apart."""
    with default_storage.open(instance.file.name, "rb") as stored:
        ds = pydicom.dcmread(stored, stop_before_pixels=True)
    # A study received before its case was known says ND-UNATTACHED in its files: name it as
    # the searches do, by the case code, once it is attached.
    return dataset_json(ds, instance.transfer_syntax, pseudonym(instance.series.study))


def _file_chunks(name: str) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as stored:
        while chunk := stored.read(READ_SIZE):
            yield chunk


def _uncompressed(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        ds = pydicom.dcmread(stored)
    if UID(ds.file_meta.TransferSyntaxUID).is_compressed:
        ds.decompress(generate_instance_uid=False)  # the same object, only uncompressed
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def _retrieve(request: HttpRequest, user: User, instances: list[Instance], level: str) -> HttpResponseBase:
    syntax = instance_syntax(
        parse_accept(request.headers.get("Accept", "")), {i.transfer_syntax for i in instances}
    )
    if syntax is None:
        raise Refused(
            406,
            _(
                "Images are sent as stored (JPEG-LS lossless: transfer-syntax=*) or uncompressed (transfer-syntax=1.2.840.10008.1.2.1)."
            ),
        )
    audit(user, request, instances, "instances", level=level)

    def part(instance: Instance) -> tuple[str, Callable[[], Iterable[bytes]]]:
        if syntax == STORED:
            return f"{DICOM}; transfer-syntax={instance.transfer_syntax}", lambda: _file_chunks(
                instance.file.name
            )
        return f"{DICOM}; transfer-syntax={NATIVE}", lambda: [_uncompressed(instance.file.name)]

    return multipart_answer(DICOM, (part(i) for i in instances))


def _metadata(request: HttpRequest, user: User, instances: list[Instance], level: str) -> HttpResponseBase:
    require_json(request)
    audit(user, request, instances, "metadata", level=level)

    def body() -> Iterator[bytes]:
        yield b"["
        for n, instance in enumerate(instances):
            yield (b"," if n else b"") + json.dumps(read_metadata(instance), ensure_ascii=False).encode()
        yield b"]"

    response = StreamingHttpResponse(body(), content_type=DICOM_JSON)
    response["Cache-Control"] = "no-store"
    return response


# --- Frames ------------------------------------------------------------------------------------


# A frame list names each frame once. The largest object the platform takes holds 256 CT-sized
# frames (imaging.ingest.MAX_PIXELS = 512 x 512 x 256), so 256 numbers cover every frame of it;
# a longer list must repeat itself or overreach, and would only build a huge answer on a weak
# link (a client that wants everything retrieves the instance). No frame number can be past
# MAX_PIXELS, which also keeps digits short enough to parse cheaply.
MAX_FRAMES_PER_REQUEST = 256
MAX_FRAME_NUMBER = MAX_PIXELS
FRAME_NUMBER = re.compile(r"[0-9]{1,9}")


def parse_frames(value: str) -> list[int]:
    """The frame numbers of a /frames/{list} address, in the order asked, or a 400 saying why."""
    malformed = Refused(400, _("Frames are numbered from 1 and separated by commas: /frames/1,2,3."))
    if len(value) > MAX_FRAMES_PER_REQUEST * 10:
        raise _too_many()
    items = value.split(",")
    if len(items) > MAX_FRAMES_PER_REQUEST:
        raise _too_many()
    # ASCII digits only: int() would also take " 1", "+1", "1_0" and other scripts' digits.
    if not all(FRAME_NUMBER.fullmatch(item) for item in items):
        raise malformed
    numbers = [int(item) for item in items]
    if min(numbers) < 1 or max(numbers) > MAX_FRAME_NUMBER:
        raise malformed
    seen: set[int] = set()
    for number in numbers:
        if number in seen:
            raise Refused(
                400,
                _("Ask for each frame once: frame %(number)s is in the list more than once.")
                % {"number": number},
            )
        seen.add(number)
    return numbers


def _too_many() -> Refused:
    return Refused(
        400,
        _("Ask for at most %(count)s frames at a time; to have every frame, retrieve the whole image.")
        % {"count": MAX_FRAMES_PER_REQUEST},
    )


class FrameSource:
    """The frames of one stored image, read from storage once per request."""

    def __init__(self, instance: Instance, media: str) -> None:
        self.instance, self.media = instance, media
        self._dataset: pydicom.Dataset | None = None
        self._encoded: list[bytes] | None = None

    def dataset(self) -> pydicom.Dataset:
        if self._dataset is None:
            with default_storage.open(self.instance.file.name, "rb") as stored:
                self._dataset = pydicom.dcmread(stored)
        return self._dataset

    def frame(self, number: int) -> bytes:
        ds = self.dataset()
        if self.media == JLS:
            if self._encoded is None:
                self._encoded = list(generate_frames(ds.PixelData, number_of_frames=self.instance.frames))
            return self._encoded[number - 1]
        pixels = pixel_array(ds, index=number - 1, raw=True)
        return bytes(pixels.astype(pixels.dtype.newbyteorder("<"), copy=False).tobytes())


def _frames(request: HttpRequest, user: User, instance: Instance, numbers: list[int]) -> HttpResponseBase:
    if max(numbers) > instance.frames:
        count = instance.frames
        raise Refused(
            404,
            ngettext("This image has %(count)s frame.", "This image has %(count)s frames.", count)
            % {"count": count},
        )
    media = frame_media(parse_accept(request.headers.get("Accept", "")), instance.transfer_syntax)
    if media is None:
        raise Refused(
            406,
            _("Frames are sent uncompressed (application/octet-stream) or as stored (image/jls)."),
        )
    syntax = str(JPEGLSLossless) if media == JLS else NATIVE
    audit(
        user, request, [instance], "frames", level="instance", instance=instance.sop_uid, frames=len(numbers)
    )

    source = FrameSource(instance, media)

    def part(number: int) -> tuple[str, Callable[[], Iterable[bytes]]]:
        return f"{media}; transfer-syntax={syntax}", lambda: [source.frame(number)]

    return multipart_answer(media, (part(n) for n in numbers))


# --- Endpoints ---------------------------------------------------------------------------------


@endpoint("GET")
def retrieve(
    request: HttpRequest,
    user: User,
    study: str,
    series: str | None = None,
    instance: str | None = None,
    metadata: bool = False,
) -> HttpResponseBase:
    """WADO-RS: a study, a series or an instance, as DICOM files or as their metadata."""
    level = "instance" if instance else "series" if series else "study"
    found = _instances(user, study, series, instance)
    return (_metadata if metadata else _retrieve)(request, user, found, level)


@endpoint("GET")
def frames(
    request: HttpRequest, user: User, study: str, series: str, instance: str, frame_list: str
) -> HttpResponseBase:
    numbers = parse_frames(frame_list)
    return _frames(request, user, _instances(user, study, series, instance)[0], numbers)


__all__ = ["frames", "retrieve"]
