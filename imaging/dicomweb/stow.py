"""STOW-RS: a referring team's PACS or viewer sends studies; each part goes through
`imaging.services.receive`, as an upload would, and the studies wait unattached at the sender's
hospital for a referrer to attach them. The answer is the Store Instances Response, each failure
with its reason in the sender's language."""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable, Iterable
from typing import IO, cast

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Institution, User
from consultations.access import referring_team_institutions
from core.audit import record
from imaging.audit_actions import IMAGING_UPLOADED, record_received
from imaging.dicomweb.common import Refused, json_answer
from imaging.ingest import MAX_PIXELS, IngestError, Refusal
from imaging.messages import explain
from imaging.models import Instance, Study
from imaging.services import Batch, StorageMismatch, receive
from lib.dicomweb import (
    CANNOT_UNDERSTAND,
    COERCED,
    DICOM,
    DISCARDED,
    NOT_AUTHORIZED,
    OUT_OF_RESOURCES,
    PROCESSING_FAILURE,
    SOP_CLASS_NOT_SUPPORTED,
    MultipartError,
    Part,
    PartResult,
    StowOutcome,
    parse_media,
    read_parts,
    sent_uids,
)

logger = logging.getLogger(__name__)

# One part of a STOW request is one image: as large as the largest the platform takes, and a
# little header room (the same bound as a single uploaded file, imaging.tasks).
MAX_PART = MAX_PIXELS * 2 + 16 * 1024 * 1024

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


def _refused(sop_class: str, sop_uid: str, error: IngestError) -> PartResult:
    reason = FAILURE_REASONS.get(error.refusal, PROCESSING_FAILURE)
    return PartResult(sop_class, sop_uid, reason, explain(error), stored=False)


def _sent_uids(data: bytes) -> tuple[str, str]:
    # Hostile headers can break the reader in ways `sent_uids` does not foresee (a sequence
    # nested past the recursion limit): the part is then named by nothing, not the request lost.
    try:
        return sent_uids(data)
    except Exception:
        return "", ""


# What pydicom and the ingest raise on a header they cannot make sense of (a sequence nested
# past the recursion limit, an IS that is no number, a number no column can hold, bytes that end
# inside an element): the sender's file is at fault, not the platform.
UNREADABLE = (
    RecursionError,
    ValueError,
    OverflowError,
    struct.error,
    TypeError,
    KeyError,
    IndexError,
    EOFError,
)


def _store_part(batch: Batch, part: Part, number: int, instance_url: Callable[[Instance], str]) -> PartResult:
    if part.too_large:
        message = _("This file is larger than any image the platform takes: refused.")
        return PartResult("", "", OUT_OF_RESOURCES, message, stored=False)
    sop_class, sop_uid = _sent_uids(part.data)
    if parse_media(part.headers.get("content-type", DICOM)).media != DICOM:
        return _refused(sop_class, sop_uid, IngestError(Refusal.NOT_DICOM))
    if not part.complete:
        return _refused(sop_class, sop_uid, IngestError(Refusal.TRUNCATED))
    try:
        # A savepoint per part: whatever a failing part wrote (its study, its series, the
        # patient's date offset) goes with it, and the parts stored before it stay.
        with transaction.atomic():
            instance = receive(batch, part.data, f"part {number}")
    except Exception as error:
        batch.forget_failed_file()  # its savepoint took back what it wrote
        return _failure(sop_class, sop_uid, number, error)
    if instance is None:
        message = _("This image was already received: the first copy is kept.")
        return PartResult(sop_class, sop_uid, DISCARDED, message)
    return PartResult(instance.sop_class_uid, instance.original_sop_uid, COERCED, "", instance_url(instance))


def _failure(sop_class: str, sop_uid: str, number: int, error: Exception) -> PartResult:
    if isinstance(error, IngestError):
        return _refused(sop_class, sop_uid, error)
    _log_failure(number, error)
    if isinstance(error, StorageMismatch | IntegrityError | OSError):
        message = _("This file could not be stored. Send it again.")
        return PartResult(sop_class, sop_uid, PROCESSING_FAILURE, message, stored=False)
    if isinstance(error, UNREADABLE):
        message = _("This file could not be read: part of its header is not valid DICOM. It was not stored.")
        return PartResult(sop_class, sop_uid, CANNOT_UNDERSTAND, message, stored=False)
    message = _(
        "This file could not be processed. It was not stored; send it again, or tell an administrator."
    )
    return PartResult(sop_class, sop_uid, PROCESSING_FAILURE, message, stored=False)


def _log_failure(number: int, error: Exception) -> None:
    # The kind of failure only, without its traceback: a DICOM library's message and the frames'
    # local variables may quote the header, and the header may name the patient.
    logger.error("STOW-RS: part %s was not stored (%s)", number, type(error).__name__)


def store_parts(batch: Batch, parts: Iterable[Part], instance_url: Callable[[Instance], str]) -> StowOutcome:
    """Receive each part as one file of the batch; a refused part does not stop the others (a
    second patient's parts are refused one by one, the first patient's are kept), and whatever
    a part raises, it is that part's failure, never the request's."""
    outcome = StowOutcome()
    for number, part in enumerate(parts, start=1):
        outcome.results.append(_store_part(batch, part, number, instance_url))
    return outcome


def _audit(batch: Batch, outcome: StowOutcome, request: HttpRequest) -> None:
    """One entry per study that received images (as for uploads and the node), saying how many
    parts of the request were refused when some were; a request of which nothing was stored
    still leaves one entry, at the sending hospital."""
    refused = sum(1 for r in outcome.results if not r.stored)
    counts = {"parts": len(outcome.results), "refused": refused} if refused else {}
    if batch.stored:
        record_received(
            batch.stored,
            source=Study.Source.STOW.value,
            institution=batch.institution,
            actor=batch.user,
            request=request,
            **counts,
        )
    else:
        record(
            IMAGING_UPLOADED,
            actor=batch.user,
            institution=batch.institution,
            request=request,
            detail={"source": Study.Source.STOW.value, "instances": 0, **counts},
        )


def store(request: HttpRequest, user: User) -> HttpResponse:
    """POST /studies (the endpoint is `qido.studies`, which GET searches)."""
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
        outcome = store_parts(batch, read_parts(cast(IO[bytes], request), boundary, MAX_PART), url)
    except MultipartError as error:
        raise Refused(400, _("The request is not a readable multipart body.")) from error
    if not outcome.results:
        raise Refused(400, _("The request holds no DICOM file."))
    _audit(batch, outcome, request)
    response = json_answer(outcome.as_json())
    response.status_code = outcome.status
    return response
