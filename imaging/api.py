"""Imaging in the JSON API: upload batches and what became of each file.

The bytes themselves go through the tus endpoint (/api/v1/uploads/, see imaging/tus.py), which
standard resumable-upload clients speak; a batch groups the files of one patient for one case.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from accounts.api_auth import api_user
from consultations.access import get_case_for_user
from imaging.access import imaging_access
from imaging.actions import start_batch
from imaging.ingest import IngestError, Refusal
from imaging.messages import (
    explain,
    explain_already_here,
    explain_attached,
    explain_member,
    explain_photo,
    explain_too_large_file,
    study_label,
)
from imaging.models import Study, Upload, UploadBatch
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
    skipped: list[SkippedOut]
    notices: list[str] = []  # files already on the case, or a waiting study they brought to it
    studies: list[int] = []  # the studies its images went to


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


def upload_notices(upload: Upload) -> list[str]:
    """Said, never silent: images already on this case, and waiting studies they attached."""
    outcome = upload.outcome
    ids = set(outcome.get("already_here", [])) | set(outcome.get("attached", []))
    if not ids:
        return []
    found = Study.objects.filter(pk__in=ids, case=upload.batch.case_id).prefetch_related("series")
    studies = {s.pk: s for s in found}
    notices = []
    for key, explain_one in (("already_here", explain_already_here), ("attached", explain_attached)):
        for study_id in outcome.get(key, []):
            study = studies.get(study_id)
            if study is not None:
                notices.append(explain_one(study_label(study.label, study.study_day)))
    return notices


def upload_out(upload: Upload) -> UploadOut:
    """What became of one file, as the API and the case page's upload report show it."""
    return UploadOut(
        id=upload.pk,
        name=upload.name,
        length=upload.length,
        offset=upload.offset,
        state=upload.state,
        stored=upload.outcome.get("stored", 0),
        duplicates=upload.outcome.get("duplicates", 0),
        skipped=skipped_messages(upload),
        notices=upload_notices(upload),
        studies=[int(s) for s in upload.outcome.get("studies", [])],
    )


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
    access = imaging_access(api_user(request), code)
    if not access.manages:
        raise Http404
    batch = start_batch(access)
    return Status(201, BatchCreated(id=batch.pk, upload_url=request.build_absolute_uri("/api/v1/uploads/")))


@router.get("/upload-batches/{batch_id}", response=BatchOut, summary="What became of each file")
def batch_status(request: HttpRequest, batch_id: UUID) -> BatchOut:
    batch = _batch_for(request, batch_id)
    return BatchOut(
        id=batch.pk,
        case=batch.case.code,
        uploads=[upload_out(u) for u in batch.uploads.all()],
    )
