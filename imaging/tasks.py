from __future__ import annotations

import contextlib
import logging
import traceback
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.db import OperationalError, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.exceptions import InvalidTaskError

from core.scheduler import every
from imaging.audit_actions import IMAGING_ATTACHED, record_on_case, record_received
from imaging.incoming import incoming_path
from imaging.ingest import MAX_PIXELS, IngestError, Refusal
from imaging.models import Series, Study, Upload
from imaging.renderings import prepare_series
from imaging.services import Batch, CommitGroups, receive, restamp
from imaging.unpack import is_zip, members
from lib.files import Kind, sniff

logger = logging.getLogger(__name__)

MAX_RETRIES = 5
RETRY_SECONDS = 15
# A single (non-zip) file larger than this cannot be one image the platform accepts.
MAX_SINGLE_FILE = MAX_PIXELS * 2 + 16 * 1024 * 1024


def _take_upload(upload: Upload, batch: Batch, path: Path, skipped: list[dict]) -> None:
    """Every file of the upload (one file, or the members of a zip) into the batch."""
    with path.open("rb") as source, CommitGroups() as group:
        batch.group = group
        if is_zip(source.read(4)):
            source.seek(0)
            for member in members(source):
                if member.problem is not None:
                    skipped.append({"name": member.name, "problem": member.problem.value})
                    continue
                # Another patient's file is refused and said; the rest of the batch's
                # patient is still taken, so nothing of theirs is lost.
                _take(batch, member.data or b"", member.name, skipped)
        else:
            source.seek(0)
            if upload.length > MAX_SINGLE_FILE:
                skipped.append({"name": upload.name, "problem": "too_large_file"})
            else:
                _take(batch, source.read(), upload.name, skipped)


def _after_failure(upload: Upload, upload_id: str, error: Exception) -> dict:
    # The bytes stay, so nothing received is lost. The log gets where it failed, never the
    # exception's message (it could quote a value from the file).
    logger.error(
        "ingest of upload %s failed: %s\n%s",
        upload_id,
        type(error).__name__,
        "".join(traceback.format_tb(error.__traceback__)),
    )
    retries = int(upload.outcome.get("retries", 0))
    if isinstance(error, OperationalError) and retries < MAX_RETRIES:
        # The database was busy or away for a moment: try again shortly.
        Upload.objects.filter(pk=upload_id).update(
            state=Upload.State.WAITING, outcome={"retries": retries + 1}
        )
        retry_later(upload_id, retries + 1)
        return {"retry": retries + 1}
    Upload.objects.filter(pk=upload_id).update(state=Upload.State.FAILED, outcome={"error": "internal"})
    return {"error": "internal"}


@task()
def ingest_upload(upload_id: str) -> dict:
    """De-identify and store a complete upload (one file or a zip), then drop its incoming bytes."""
    claimed = Upload.objects.filter(pk=upload_id, state=Upload.State.WAITING).update(
        state=Upload.State.PROCESSING
    )
    if not claimed:
        return {}  # already handled (a task delivered twice)
    upload = Upload.objects.select_related("batch__case__referring_institution", "batch__user").get(
        pk=upload_id
    )
    case = upload.batch.case
    batch = Batch(
        institution=case.referring_institution,
        source=Study.Source.UPLOAD,
        case=case,
        user=upload.batch.user,
        fingerprint=upload.batch.patient_fingerprint or None,
    )
    skipped: list[dict] = []
    path = incoming_path(upload)
    try:
        _take_upload(upload, batch, path, skipped)
    except Exception as error:
        return _after_failure(upload, upload_id, error)
    if batch.fingerprint and batch.fingerprint != upload.batch.patient_fingerprint:
        type(upload.batch).objects.filter(pk=upload.batch.pk, patient_fingerprint="").update(
            patient_fingerprint=batch.fingerprint
        )
    outcome = {
        "stored": len(batch.stored),
        "duplicates": batch.duplicates,
        "skipped": skipped,
        # Which studies the files went to, so the page can show each when it is ready and say
        # where a file sent again already was.
        "studies": sorted({instance.series.study_id for instance in batch.stored}),
        "already_here": sorted(batch.already_here - batch.attached),
        "attached": sorted(batch.attached),
    }
    taken = batch.stored or batch.duplicates
    Upload.objects.filter(pk=upload_id).update(
        state=Upload.State.DONE if taken or not skipped else Upload.State.FAILED, outcome=outcome
    )
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    queue_renderings({instance.series_id for instance in batch.stored})
    record_received(
        batch.stored, source=Study.Source.UPLOAD.value, institution=batch.institution, actor=batch.user
    )
    for study_id in batch.attached:
        record_on_case(IMAGING_ATTACHED, case, upload.batch.user, study=study_id, through="upload")
        transaction.on_commit(partial(restamp_study.enqueue, study_id))
    return outcome


@task()
def restamp_study(study_id: int) -> int:
    """Once attached, a study's stored copies carry the case code (see services.restamp)."""
    study = Study.objects.select_related("case").filter(pk=study_id).first()
    return restamp(study) if study is not None else 0


# Far longer than any upload takes to process: an upload still waiting or processing after this
# lost its worker (killed, restarted) and is queued again. Its bytes were kept for this.
STALE_AFTER = timedelta(hours=2)


@every(timedelta(minutes=15), name="imaging.requeue_stale_uploads")
@task()
def requeue_stale_uploads() -> int:
    stale = Upload.objects.filter(
        state__in=[Upload.State.WAITING, Upload.State.PROCESSING], updated_at__lt=timezone.now() - STALE_AFTER
    )
    queued = 0
    for upload in stale:
        if not incoming_path(upload).exists():
            continue
        if Upload.objects.filter(pk=upload.pk, state=upload.state).update(state=Upload.State.WAITING):
            ingest_upload.enqueue(str(upload.pk))
            queued += 1
    return queued


def retry_later(upload_id: str, attempt: int) -> None:
    when = timezone.now() + timedelta(seconds=RETRY_SECONDS * attempt)
    try:
        ingest_upload.using(run_after=when).enqueue(upload_id)
    except InvalidTaskError:  # a backend that cannot defer (tests run tasks at once)
        ingest_upload.enqueue(upload_id)


def queue_renderings(series_ids: set[int]) -> None:
    """Renderings are made once the series is committed, so the worker sees it."""
    for series_id in sorted(series_ids):
        transaction.on_commit(partial(prepare_renderings.enqueue, series_id))


@task()
def prepare_renderings(series_id: int) -> int:
    """The thumbnail and the first window of every slice, ready before anyone asks."""
    series = Series.objects.filter(pk=series_id).first()
    return prepare_series(series) if series is not None else 0


def _take(batch: Batch, data: bytes, name: str, skipped: list[dict]) -> None:
    """Receive one file; what cannot be taken is said, and the others are still taken."""
    found = sniff(data[:16])
    if found is not None and found[1] is Kind.PHOTO:
        _take_photo(batch, data, name, skipped)
        return
    try:
        receive(batch, data, name)
    except IngestError as error:
        skipped.append({"name": name, "refusal": error.refusal.value, "params": _plain(error.params)})
    except OperationalError:
        raise  # the database: the whole upload is retried
    except Exception as error:  # a file no check foresaw: skip it, keep the rest
        logger.error(
            "file in upload skipped: %s\n%s",
            type(error).__name__,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        skipped.append({"name": name, "refusal": Refusal.UNREADABLE_PIXELS.value, "params": {}})


def _take_photo(batch: Batch, data: bytes, name: str, skipped: list[dict]) -> None:
    """Photos are not taken with the imaging. A photo of a film often shows the name label, and
    a CD's folder holds JPEG previews with the patient's details: photos go under "Documents
    and photos", where the referrer confirms each shows no identifier before consultants see
    it (lib.files strips their EXIF and GPS data there)."""
    skipped.append({"name": name, "photo": "not_with_imaging"})


def _plain(params: dict) -> dict:
    return {k: v if isinstance(v, int | float | str) else str(v) for k, v in params.items()}
