"""DICOMweb (PS3.18) for standard viewers and PACS: STOW-RS to receive, QIDO-RS to search and
WADO-RS to retrieve the de-identified copies, under the platform's permissions.

- What a person may see is `imaging.visibility` (the rules of `imaging.access` across all
  cases). Anything else is 404, so that nobody learns a study exists. The originals
  (`Instance.original`) are never served here.
- Retrieval sends the stored bytes (JPEG-LS lossless, the transfer syntax of each file) when the
  client accepts them (`transfer-syntax=*` or that syntax), or uncompressed Explicit VR Little
  Endian, the standard's default; frames uncompressed (application/octet-stream) or as stored
  (image/jls). Answers are streamed, one file or frame at a time. A retrieval from abroad is
  audited with its case, once per request.
- STOW-RS takes each part through `imaging.services.receive`, as an upload would: studies wait
  unattached at the sender's hospital for a referrer to attach them. The answer is the standard
  Store Instances Response; each failure carries its Failure Reason code and, as Text Value
  (0040,A160), the reason in the sender's language.
- Authentication: a personal API token (Authorization: Bearer) or the signed-in session, with the
  CSRF token for a POST, as for the upload endpoint (imaging/tus.py).
"""

from __future__ import annotations

import io
import json
import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

import pydicom
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from pydicom.encaps import generate_frames
from pydicom.errors import InvalidDicomError
from pydicom.pixels import pixel_array
from pydicom.uid import UID, ExplicitVRLittleEndian, JPEGLSLossless

from accounts.api_auth import ApiTokenAuth
from accounts.models import Institution, User
from consultations.access import case_access, referring_team_institutions
from imaging import audit_actions as acts
from imaging.access import ImagingAccess
from imaging.ingest import MAX_PIXELS, IngestError, Refusal
from imaging.messages import explain
from imaging.models import Instance, Series, Study
from imaging.services import Batch, StorageMismatch, receive
from imaging.visibility import visible_instances, visible_series, visible_studies

logger = logging.getLogger(__name__)

DICOM_JSON = "application/dicom+json"
DICOM = "application/dicom"
OCTETS = "application/octet-stream"
JLS = "image/jls"
NATIVE = str(ExplicitVRLittleEndian)
STORED = "*"  # send each file in its own transfer syntax
READ_SIZE = 1 << 20
# Pages of search results: enough for any one patient's imaging, small enough for a slow link.
MAX_OFFSET = 1_000_000  # far beyond any hospital's studies; larger ones overflow the database
MAX_RESULTS = 1000
# One part of a STOW request is one image: as large as the largest the platform takes, and a
# little header room (the same bound as a single uploaded file, imaging.tasks).
MAX_PART = MAX_PIXELS * 2 + 16 * 1024 * 1024
# As imaging.services writes it into a study that waits for its case.
UNATTACHED = "ND-UNATTACHED"

# PS3.18 Store Instances Response codes.
COERCED = 0xB000  # warning: stored de-identified, with new UIDs
DISCARDED = 0xB006  # warning: the same object was already held; the first copy is kept
OUT_OF_RESOURCES = 0xA700
CANNOT_UNDERSTAND = 0xC000
PROCESSING_FAILURE = 0x0110
SOP_CLASS_NOT_SUPPORTED = 0x0122
NOT_AUTHORIZED = 0x0124
FAILURE_REASONS = {
    Refusal.NOT_DICOM: CANNOT_UNDERSTAND,
    Refusal.TRUNCATED: CANNOT_UNDERSTAND,
    Refusal.UNREADABLE_PIXELS: CANNOT_UNDERSTAND,
    Refusal.UNSUPPORTED_SYNTAX: CANNOT_UNDERSTAND,
    Refusal.DIRECTORY: SOP_CLASS_NOT_SUPPORTED,
    Refusal.NOT_AN_IMAGE: SOP_CLASS_NOT_SUPPORTED,
    Refusal.TOO_LARGE: OUT_OF_RESOURCES,
    Refusal.ANOTHER_PATIENT: NOT_AUTHORIZED,
    Refusal.ANOTHER_INSTITUTION: NOT_AUTHORIZED,
    Refusal.ON_ANOTHER_CASE: NOT_AUTHORIZED,
}


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


def read_parts(stream: IO[bytes], boundary: str, max_part: int = MAX_PART) -> Iterator[Part]:
    """The parts of a multipart body read from `stream`, one at a time (a study is never held in
    memory at once). A part over `max_part` bytes is read through and given without its data."""
    opening, closing = b"--" + boundary.encode("latin-1"), b"\r\n--" + boundary.encode("latin-1")
    buffer = bytearray()
    ended = False

    def fill() -> None:
        nonlocal ended
        chunk = stream.read(READ_SIZE)
        if chunk:
            buffer.extend(chunk)
        else:
            ended = True

    # A preamble before the first boundary is allowed and ignored.
    while (start := buffer.find(opening)) < 0:
        if ended:
            raise MultipartError("no boundary")
        del buffer[: max(0, len(buffer) - len(opening))]
        fill()
    del buffer[: start + len(opening)]
    while True:
        while len(buffer) < 2 and not ended:
            fill()
        if buffer.startswith(b"--"):
            return  # the closing boundary
        while (eol := buffer.find(b"\r\n")) < 0 and not ended:
            fill()
        if eol < 0:
            return
        del buffer[: eol + 2]  # the rest of the boundary line (transport padding)
        while (end := buffer.find(b"\r\n\r\n")) < 0 and not buffer.startswith(b"\r\n"):
            if ended or len(buffer) > 64 * 1024:
                raise MultipartError("part headers")
            fill()
        head = b"" if buffer.startswith(b"\r\n") else bytes(buffer[:end])
        del buffer[: 2 if not head else end + 4]
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, _colon, value = line.partition(":")
            if name.strip():
                headers[name.strip().lower()] = value.strip()
        body = bytearray()
        too_large = False
        while (stop := buffer.find(closing)) < 0:
            if ended:
                yield Part(headers, bytes(body) + bytes(buffer), complete=False, too_large=too_large)
                return
            keep = len(closing) - 1  # a boundary may straddle two reads
            if len(buffer) > keep:
                if not too_large:
                    body.extend(buffer[:-keep])
                del buffer[:-keep]
            if len(body) > max_part:
                too_large, body = True, bytearray()
            fill()
        if not too_large:
            body.extend(buffer[:stop])
        del buffer[: stop + len(closing)]
        yield Part(headers, b"" if too_large else bytes(body), too_large=too_large or len(body) > max_part)


# --- DICOM JSON --------------------------------------------------------------------------------


def element(vr: str, *values: Any) -> dict[str, Any]:
    kept = [v for v in values if v is not None and v != ""]
    return {"vr": vr, "Value": kept} if kept else {"vr": vr}


def _in_tag_order(found: dict[str, Any]) -> dict[str, Any]:
    return dict(sorted(found.items()))


def _pseudonym(study: Study) -> str:
    return study.case.code if study.case else UNATTACHED


def _patient(study: Study) -> dict[str, Any]:
    code = _pseudonym(study)
    return {"00100010": element("PN", {"Alphabetic": code}), "00100020": element("LO", code)}


def study_json(study: Study, series: int, instances: int, modalities: list[str]) -> dict[str, Any]:
    return _in_tag_order(
        {
            "00080020": element("DA", study.study_date),
            "00080050": element("SH"),  # the accession number stays in Tanzania
            "00080061": element("CS", *sorted(modalities)),
            "00081030": element("LO", study.description),
            "0020000D": element("UI", study.study_uid),
            "00201206": element("IS", series),
            "00201208": element("IS", instances),
            **_patient(study),
        }
    )


def series_json(series: Series, instances: int) -> dict[str, Any]:
    return _in_tag_order(
        {
            "00080060": element("CS", series.modality),
            "0008103E": element("LO", series.description),
            "0020000D": element("UI", series.study.study_uid),
            "0020000E": element("UI", series.series_uid),
            "00200011": element("IS", series.number),
            "00201209": element("IS", instances),
            **_patient(series.study),
        }
    )


def instance_json(instance: Instance) -> dict[str, Any]:
    series = instance.series
    return _in_tag_order(
        {
            "00080016": element("UI", instance.sop_class_uid),
            "00080018": element("UI", instance.sop_uid),
            "00080060": element("CS", series.modality),
            "00083002": element("UI", instance.transfer_syntax),
            "0020000D": element("UI", series.study.study_uid),
            "0020000E": element("UI", series.series_uid),
            "00200011": element("IS", series.number),
            "00200013": element("IS", instance.number),
            "00280008": element("IS", instance.frames),
            "00280010": element("US", series.rows),
            "00280011": element("US", series.columns),
            **_patient(series.study),
        }
    )


def read_metadata(instance: Instance) -> dict[str, Any]:
    """The stored (de-identified) header, without the pixel data: viewers fetch frames apart."""
    with default_storage.open(instance.file.name, "rb") as stored:
        ds = pydicom.dcmread(stored, stop_before_pixels=True)
    found = ds.to_json_dict(bulk_data_threshold=1 << 30, suppress_invalid_tags=True)
    found["00083002"] = element("UI", instance.transfer_syntax)  # Available Transfer Syntax UID
    # A study received before its case was known says ND-UNATTACHED in its files: name it as
    # the searches do, by the case code, once it is attached.
    found |= _patient(instance.series.study)
    return _in_tag_order(found)


# --- Responses and authentication -------------------------------------------------------------


def answer(status: int, message: str, **headers: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


class Refused(Exception):
    def __init__(self, status: int, message: str, **headers: str) -> None:
        super().__init__(message)
        self.response = answer(status, message, **headers)


def authenticate(request: HttpRequest) -> User:
    header = request.headers.get("Authorization", "")
    challenge = {"WWW_Authenticate": 'Bearer realm="NeuroDaraja DICOMweb"'}
    if header.lower().startswith("bearer "):
        user = ApiTokenAuth().authenticate(request, header.split(" ", 1)[1].strip())
        if user is None:
            raise Refused(
                401, _("This API token is not valid: it may have expired or been revoked."), **challenge
            )
        return user
    if not request.user.is_authenticated:
        raise Refused(401, _("Sign in, or send a personal API token (Authorization: Bearer …)."), **challenge)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        # Exempted from the middleware for token clients; a browser session still needs the token.
        middleware = CsrfViewMiddleware(lambda r: HttpResponse())
        if middleware.process_view(request, lambda r: HttpResponse(), (), {}) is not None:
            raise Refused(403, _("The page has expired: reload it and try again."))
    return cast(User, request.user)


def _not_found() -> HttpResponse:
    return answer(404, _("Not found, or you do not have access to it."))


def endpoint(*methods: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Method check, authentication, and the platform's refusals as short texts."""

    def wrap(handler: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in methods:
                return answer(405, _("This method is not allowed here."), Allow=", ".join(methods))
            try:
                return handler(request, authenticate(request), *args, **kwargs)
            except Refused as refused:
                return refused.response
            except Http404:
                return _not_found()

        view.__name__ = handler.__name__
        view.__doc__ = handler.__doc__
        return csrf_exempt(view)

    return wrap


def _json(data: Any, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=DICOM_JSON)
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _require_json(request: HttpRequest) -> None:
    if not accepts_json(request.headers.get("Accept", "")):
        raise Refused(406, _("Search results and metadata are sent as application/dicom+json."))


def _boundary() -> str:
    return secrets.token_hex(16)


# --- QIDO-RS: search ---------------------------------------------------------------------------

# Matching keys by keyword and by tag.
KEYS = {
    "StudyInstanceUID": "0020000D",
    "SeriesInstanceUID": "0020000E",
    "SOPInstanceUID": "00080018",
    "Modality": "00080060",
    "ModalitiesInStudy": "00080061",
    "StudyDate": "00080020",
    "PatientID": "00100020",
}
IGNORED = {"limit", "offset", "includefield", "fuzzymatching"}


@dataclass
class Search:
    values: dict[str, list[str]]
    limit: int
    offset: int
    unsupported: list[str]

    def get(self, keyword: str) -> list[str]:
        return self.values.get(keyword, [])


def parse_search(params: Any) -> Search:
    by_tag = {tag: keyword for keyword, tag in KEYS.items()}
    values: dict[str, list[str]] = {}
    unsupported = []
    for key in params:
        keyword = by_tag.get(key.upper(), key)
        if keyword in KEYS:
            found = [v.strip() for value in params.getlist(key) for v in value.replace("\\", ",").split(",")]
            found = [v for v in found if v and v != "*"]  # empty or "*": universal matching
            if found:
                values.setdefault(keyword, []).extend(found)
        elif key.lower() not in IGNORED:
            unsupported.append(key)
    try:
        limit = int(params.get("limit", MAX_RESULTS))
        offset = int(params.get("offset", 0))
    except ValueError as error:
        raise Refused(400, _("limit and offset must be whole numbers.")) from error
    if limit < 0 or offset < 0 or offset > MAX_OFFSET:
        raise Refused(400, _("limit and offset must be whole numbers."))
    return Search(values, min(limit, MAX_RESULTS), offset, unsupported)


def _match(
    query: QuerySet[Any], search: Search, to_study: str, to_series: str | None = None
) -> QuerySet[Any]:
    """Filter by the matching keys of the search; `to_study` and `to_series` are the paths from
    the searched model to its study and series."""
    lookups = {"StudyInstanceUID": f"{to_study}study_uid__in", "PatientID": f"{to_study}case__code__in"}
    if to_series is not None:
        lookups |= {"SeriesInstanceUID": f"{to_series}series_uid__in", "Modality": f"{to_series}modality__in"}
    if to_series == "series__":
        lookups["SOPInstanceUID"] = "sop_uid__in"
    for keyword, lookup in lookups.items():
        if values := search.get(keyword):
            query = query.filter(
                **{lookup: [v.upper() for v in values] if keyword == "PatientID" else values}
            )
    for value in search.get("StudyDate")[:1]:  # a date, or a range: 20250101-20250331, 2025-, -2025
        start, dash, end = value.partition("-")
        if not dash:
            query = query.filter(**{f"{to_study}study_date": value})
        if dash and start:
            query = query.filter(**{f"{to_study}study_date__gte": start})
        if dash and end:
            query = query.filter(**{f"{to_study}study_date__lte": end})
    return query


def _page(query: QuerySet[Any], search: Search) -> tuple[list[Any], dict[str, str]]:
    found = list(query[search.offset : search.offset + search.limit + 1])
    warnings = []
    if len(found) > search.limit:
        found = found[: search.limit]
        warnings.append(_("There are more results: ask again with a larger offset."))
    if search.unsupported:
        warnings.append(
            _("These attributes are not supported for matching and were ignored: %(keys)s")
            % {"keys": ", ".join(sorted(search.unsupported))}
        )
    # PS3.18 says what a search left out in Warning headers (code 299).
    headers = {"Warning": ", ".join(f'299 neurodaraja "{w}"' for w in warnings)} if warnings else {}
    return found, headers


Found = tuple[list[dict[str, Any]], dict[str, str]]  # the results and the headers to send


def search_studies(user: User, search: Search) -> Found:
    studies = _match(visible_studies(user).select_related("case").order_by("created_at", "pk"), search, "")
    if modalities := search.get("ModalitiesInStudy") + search.get("Modality"):
        studies = studies.filter(
            pk__in=visible_series(user).filter(modality__in=modalities).values("study_id")
        )
    page, headers = _page(studies, search)
    # What each study holds for this person, in three queries whatever the page's length.
    series = visible_series(user).filter(study__in=[s.pk for s in page]).order_by()
    counts = dict(series.values_list("study_id").annotate(n=Count("pk")))
    kinds: dict[int, list[str]] = {}
    for study_id, modality in series.values_list("study_id", "modality").distinct():
        if modality:
            kinds.setdefault(study_id, []).append(modality)
    images = dict(
        Instance.objects.filter(series__in=series)
        .order_by()
        .values_list("series__study_id")
        .annotate(n=Count("pk"))
    )
    return [
        study_json(s, counts.get(s.pk, 0), images.get(s.pk, 0), kinds.get(s.pk, [])) for s in page
    ], headers


def search_series(user: User, search: Search, study: str | None = None) -> Found:
    series = visible_series(user).select_related("study__case").annotate(images=Count("instances"))
    if study is not None:
        series = series.filter(study__study_uid=study)
    series = _match(series.order_by("study__created_at", "study_id", "number", "pk"), search, "study__", "")
    page, headers = _page(series, search)
    return [series_json(s, s.images) for s in page], headers


def search_instances(
    user: User, search: Search, study: str | None = None, series: str | None = None
) -> Found:
    instances = visible_instances(user).select_related("series__study__case")
    if study is not None:
        instances = instances.filter(series__study__study_uid=study)
    if series is not None:
        instances = instances.filter(series__series_uid=series)
    order = ("series__study__created_at", "series__study_id", "series__number", "series_id", "number", "pk")
    page, headers = _page(_match(instances.order_by(*order), search, "series__study__", "series__"), search)
    return [instance_json(i) for i in page], headers


# --- WADO-RS: retrieve -----------------------------------------------------------------------


def _study(user: User, study: str) -> Study:
    found = visible_studies(user).select_related("case").filter(study_uid=study).first()
    if found is None:
        raise Http404
    return found


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
    """A retrieval from abroad is recorded with its case, once per request (unattached studies
    are only seen at home)."""
    study = instances[0].series.study
    if study.case is None or user.works_where_identifiable_data_is_kept:
        return
    series = {i.series.series_uid for i in instances}
    if len(series) == 1:
        detail["series"] = series.pop()
    access = ImagingAccess(user=user, case_access=case_access(user, study.case))
    access.audit_retrieval(what, request, study=study.study_uid, instances=len(instances), **detail)


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

    return _multipart_response(DICOM, (part(i) for i in instances))


def _metadata(request: HttpRequest, user: User, instances: list[Instance], level: str) -> HttpResponseBase:
    _require_json(request)
    audit(user, request, instances, "metadata", level=level)

    def body() -> Iterator[bytes]:
        yield b"["
        for n, instance in enumerate(instances):
            yield (b"," if n else b"") + json.dumps(read_metadata(instance), ensure_ascii=False).encode()
        yield b"]"

    response = StreamingHttpResponse(body(), content_type=DICOM_JSON)
    response["Cache-Control"] = "no-store"
    return response


def _multipart_response(
    media: str, parts: Iterable[tuple[str, Callable[[], Iterable[bytes]]]]
) -> StreamingHttpResponse:
    """A streamed multipart/related answer: each part read only when its turn comes."""
    boundary = _boundary()
    response = StreamingHttpResponse(
        multipart(boundary, parts), content_type=f'multipart/related; type="{media}"; boundary={boundary}'
    )
    response["Cache-Control"] = "no-store"
    return response


def parse_frames(value: str) -> list[int]:
    try:
        numbers = [int(n) for n in value.split(",")]
    except ValueError as error:
        raise Refused(400, _("Frames are numbered from 1 and separated by commas: /frames/1,2,3.")) from error
    if not numbers or min(numbers) < 1:
        raise Refused(400, _("Frames are numbered from 1 and separated by commas: /frames/1,2,3."))
    return numbers


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

    return _multipart_response(media, (part(n) for n in numbers))


# --- STOW-RS: store ----------------------------------------------------------------------------


def sending_institution(user: User, asked: str) -> Institution:
    """The Tanzanian hospital whose referring team the sender belongs to: identifiable originals
    are kept only where such data may be kept."""
    places = list(
        Institution.objects.filter(
            pk__in=referring_team_institutions(user), country__holds_identifiable_data=True, is_active=True
        ).order_by("short_code")
    )
    if not places:
        raise Refused(
            403,
            _(
                "Only the team of a referring hospital, in a country where patient data is kept, may send studies here."
            ),
        )
    codes = ", ".join(p.short_code for p in places)
    if asked:
        chosen = [p for p in places if p.short_code == asked.strip().upper() or str(p.pk) == asked.strip()]
        if not chosen:
            raise Refused(
                400,
                _("You are not in the referring team of %(asked)s. Your hospitals: %(codes)s.")
                % {"asked": asked[:20], "codes": codes},
            )
        return chosen[0]
    if len(places) > 1:
        raise Refused(
            400,
            _(
                "You are in the referring team of several hospitals (%(codes)s): add ?institution=<code> to the address to say which one these studies come from."
            )
            % {"codes": codes},
        )
    return places[0]


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
        return _in_tag_order(item)


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
        return _in_tag_order(found)


def _sent_uids(data: bytes) -> tuple[str, str]:
    """The SOP Class and Instance UIDs as sent, when the part is readable enough to say."""
    try:
        ds = pydicom.dcmread(
            io.BytesIO(data), stop_before_pixels=True, specific_tags=["SOPClassUID", "SOPInstanceUID"]
        )
        return str(ds.get("SOPClassUID", "") or ""), str(ds.get("SOPInstanceUID", "") or "")
    except (InvalidDicomError, EOFError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return "", ""


def _refused(sop_class: str, sop_uid: str, error: IngestError) -> PartResult:
    reason = FAILURE_REASONS.get(error.refusal, PROCESSING_FAILURE)
    return PartResult(sop_class, sop_uid, reason, explain(error), stored=False)


def store_parts(batch: Batch, parts: Iterable[Part], instance_url: Callable[[Instance], str]) -> StowOutcome:
    """Receive each part as one file of the batch; a refused part does not stop the others (a
    second patient's parts are refused one by one, the first patient's are kept)."""
    outcome = StowOutcome()
    for number, part in enumerate(parts, start=1):
        if part.too_large:
            message = _("This file is larger than any image the platform takes: refused.")
            outcome.results.append(PartResult("", "", OUT_OF_RESOURCES, message, stored=False))
            continue
        sop_class, sop_uid = _sent_uids(part.data)
        if parse_media(part.headers.get("content-type", DICOM)).media != DICOM:
            outcome.results.append(_refused(sop_class, sop_uid, IngestError(Refusal.NOT_DICOM)))
            continue
        if not part.complete:
            outcome.results.append(_refused(sop_class, sop_uid, IngestError(Refusal.TRUNCATED)))
            continue
        try:
            instance = receive(batch, part.data, f"part {number}")
        except IngestError as error:
            outcome.results.append(_refused(sop_class, sop_uid, error))
            continue
        except (StorageMismatch, IntegrityError, OSError):
            logger.exception("STOW-RS: part %s could not be stored", number)
            message = _("This file could not be stored. Send it again.")
            outcome.results.append(PartResult(sop_class, sop_uid, PROCESSING_FAILURE, message, stored=False))
            continue
        if instance is None:
            message = _("This image was already received: the first copy is kept.")
            outcome.results.append(PartResult(sop_class, sop_uid, DISCARDED, message))
        else:
            url = instance_url(instance)
            outcome.results.append(
                PartResult(instance.sop_class_uid, instance.original_sop_uid, COERCED, "", url)
            )
    return outcome


def audit_received(batch: Batch, request: HttpRequest) -> None:
    acts.record_received(
        batch.stored,
        source=Study.Source.STOW.value,
        institution=batch.institution,
        actor=batch.user,
        request=request,
    )


def stow(request: HttpRequest, user: User) -> HttpResponse:
    institution = sending_institution(user, request.GET.get("institution", ""))
    content_type = parse_media(request.headers.get("Content-Type", ""))
    if content_type.media != "multipart/related" or content_type.type not in ("", DICOM):
        raise Refused(415, _('Send the studies as multipart/related; type="application/dicom".'))
    boundary = content_type.params.get("boundary", "")
    if not boundary:
        raise Refused(400, _("The multipart boundary is missing from the Content-Type."))
    if not request.META.get("CONTENT_LENGTH") and "chunked" in request.headers.get("Transfer-Encoding", ""):
        raise Refused(411, _("Send the request with a Content-Length."))
    batch = Batch(institution=institution, source=Study.Source.STOW, user=user)

    def url(instance: Instance) -> str:
        series = instance.series
        return request.build_absolute_uri(
            reverse(
                "imaging:dicomweb:instance",
                args=[series.study.study_uid, series.series_uid, instance.sop_uid],
            )
        )

    try:
        outcome = store_parts(batch, read_parts(cast(IO[bytes], request), boundary), url)
    except MultipartError as error:
        raise Refused(400, _("The request is not a readable multipart body.")) from error
    if not outcome.results:
        raise Refused(400, _("The request holds no DICOM file."))
    audit_received(batch, request)
    response = _json(outcome.as_json())
    response.status_code = outcome.status
    return response


# --- Views -------------------------------------------------------------------------------------


def _searched(found: Found) -> HttpResponse:
    results, headers = found
    return _json(results, **headers)


@endpoint("GET", "POST")
def studies(request: HttpRequest, user: User) -> HttpResponseBase:
    """GET: search for studies (QIDO-RS). POST: store instances (STOW-RS)."""
    if request.method == "POST":
        return stow(request, user)
    _require_json(request)
    return _searched(search_studies(user, parse_search(request.GET)))


@endpoint("GET")
def search(
    request: HttpRequest, user: User, level: str, study: str | None = None, series: str | None = None
) -> HttpResponseBase:
    """QIDO-RS for series or instances: of all the person may see, of a study, or of a series."""
    _require_json(request)
    if series is not None:
        if not visible_series(user).filter(study__study_uid=study, series_uid=series).exists():
            raise Http404
    elif study is not None:
        _study(user, study)
    query = parse_search(request.GET)
    if level == "series":
        return _searched(search_series(user, query, study))
    return _searched(search_instances(user, query, study, series))


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


__all__ = ["frames", "retrieve", "search", "studies"]
