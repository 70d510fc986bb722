"""STOW-RS: a referring team's PACS or viewer sends studies; each part goes through
`imaging.services.receive`, as an upload would, and the studies wait unattached at the sender's
hospital for a referrer to attach them. The answer is the Store Instances Response, each failure
with its reason in the sender's language."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import IO, cast

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Institution, User
from consultations.access import referring_team_institutions
from imaging.actions import record_stow_received
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


def store_parts(batch: Batch, parts: Iterable[Part], instance_url: Callable[[Instance], str]) -> StowOutcome:
    """Receive each part as one file of the batch; a refused part does not stop the others (a
    second patient's parts are refused one by one, the first patient's are kept)."""
    outcome = StowOutcome()
    for number, part in enumerate(parts, start=1):
        if part.too_large:
            message = _("This file is larger than any image the platform takes: refused.")
            outcome.results.append(PartResult("", "", OUT_OF_RESOURCES, message, stored=False))
            continue
        sop_class, sop_uid = sent_uids(part.data)
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
    record_stow_received(batch, request)
    response = json_answer(outcome.as_json())
    response.status_code = outcome.status
    return response
