"""Imaging in the JSON API: upload batches and what became of each file.

The bytes themselves go through the tus endpoint (/api/v1/uploads/, see imaging/tus.py), which
standard resumable-upload clients speak; a batch groups the files of one patient for one case.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from accounts.api_auth import api_user
from consultations.access import get_case_for_user
from consultations.models import Status as CaseStatus
from core.errors import ActionError
from imaging.ingest import IngestError, Refusal
from imaging.messages import explain, explain_member, explain_photo, explain_too_large_file
from imaging.models import Upload, UploadBatch
from imaging.unpack import Problem

router = Router(tags=["imaging"])


class BatchCreated(Schema):
    id: UUID
    upload_url: str


class SkippedOut(Schema):
    name: str
    message: str


class UploadOut(Schema):
    id: UUID
    name: str
    length: int
    offset: int
    state: str
    stored: int
    duplicates: int
    photos: int
    skipped: list[SkippedOut]


class BatchOut(Schema):
    id: UUID
    case: str
    uploads: list[UploadOut]


def skipped_messages(upload: Upload) -> list[SkippedOut]:
    found = []
    for item in upload.outcome.get("skipped", []):
        if item.get("problem") == "too_large_file":
            message = explain_too_large_file()
        elif "problem" in item:
            message = explain_member(Problem(item["problem"]))
        elif "photo" in item:
            message = explain_photo(item["photo"])
        else:
            message = explain(IngestError(Refusal(item["refusal"]), **item.get("params", {})))
        found.append(SkippedOut(name=item.get("name", ""), message=message))
    return found


def _batch_for(request: HttpRequest, batch_id: UUID) -> UploadBatch:
    batch = UploadBatch.objects.select_related("case").filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    access = get_case_for_user(api_user(request), batch.case.code)
    if not access.in_referring_team:
        raise Http404
    return batch


@router.post("/cases/{code}/upload-batches", response={201: BatchCreated}, summary="Start sending imaging")
def create_batch(request: HttpRequest, code: str) -> Status:
    """A batch for one patient's files; send each file to `upload_url` by tus 1.0.0 with the
    metadata `case`, `filename` and `batch`."""
    user = api_user(request)
    access = get_case_for_user(user, code)
    if not access.in_referring_team:
        raise Http404
    if access.case.status == CaseStatus.CLOSED:
        raise ActionError(_("This consultation is closed."), code="closed", status=409)
    batch = UploadBatch.objects.create(case=access.case, user=user)
    return Status(201, BatchCreated(id=batch.pk, upload_url=request.build_absolute_uri("/api/v1/uploads/")))


@router.get("/upload-batches/{batch_id}", response=BatchOut, summary="What became of each file")
def batch_status(request: HttpRequest, batch_id: UUID) -> BatchOut:
    batch = _batch_for(request, batch_id)
    return BatchOut(
        id=batch.pk,
        case=batch.case.code,
        uploads=[
            UploadOut(
                id=u.pk,
                name=u.name,
                length=u.length,
                offset=u.offset,
                state=u.state,
                stored=u.outcome.get("stored", 0),
                duplicates=u.outcome.get("duplicates", 0),
                photos=u.outcome.get("photos", 0),
                skipped=skipped_messages(u),
            )
            for u in batch.uploads.all()
        ],
    )
