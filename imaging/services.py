"""Receiving DICOM objects, whatever brought them (an upload, the DICOM node, STOW-RS).

A `Batch` is one upload or one network association: one institution, at most one case, one
patient. Each file goes through `imaging.ingest.prepare` and is stored twice through Django's
storage API: the de-identified, compressed copy that consultants may see, and the original that
never leaves the Tanzanian side. Both are hashed and read back before the database says they
exist.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pydicom
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from pydicom.errors import InvalidDicomError

from accounts.models import Institution, User
from consultations.models import Case, PatientIdentity
from imaging import compression
from imaging.ingest import IngestError, Prepared, Refusal, prepare, text_floor
from imaging.models import DateShift, Instance, Series, Study
from lib.deid import ocr
from lib.deid.burned_in import Suspicion
from lib.deid.dicom import Options
from lib.deid.pixel_text import Box, find_text, has_strokes, merged, with_strokes
from lib.deid.pixel_text import mask as fill_boxes
from lib.deid.uids import keyed_uid_mapper
from lib.identifiers import Identity

# Offsets of one to ten years into the past: far enough that no date can be guessed back,
# and dates stay plausible for viewers.
SHIFT_DAYS = (365, 3650)


def _key(label: str) -> bytes:
    # Derived from the deployment's secret, which lives with the database in Tanzania.
    return hmac.new(
        settings.SECRET_KEY.encode(), f"neurodaraja.imaging.{label}".encode(), hashlib.sha256
    ).digest()


def uid_key() -> bytes:
    return _key("uids")


def fingerprint_key() -> bytes:
    return _key("patients")


class StorageMismatch(Exception):
    """The stored bytes did not read back as written."""


@dataclass
class Batch:
    institution: Institution
    source: str
    case: Case | None = None
    user: User | None = None
    received_from: str = ""
    fingerprint: str | None = None
    stored: list[Instance] = field(default_factory=list)
    duplicates: int = 0
    group: CommitGroups | None = None  # commits the index every few files (see CommitGroups)
    attached: set[int] = field(default_factory=set)  # waiting studies this batch brought to its case
    already_here: set[int] = field(default_factory=set)  # studies of its case it sent again
    skipped: list[tuple[str, IngestError]] = field(default_factory=list)
    # Looked up once per batch, not once per file.
    _identity: Identity | None = field(default=None, repr=False)
    _shifts: dict[str, int] = field(default_factory=dict, repr=False)

    def check_patient(self, _ds: object, fingerprint: str) -> None:
        if self.fingerprint is None:
            self.fingerprint = fingerprint
        elif fingerprint != self.fingerprint:
            raise IngestError(Refusal.ANOTHER_PATIENT)

    def identity(self) -> Identity:
        if self._identity is None:
            record = PatientIdentity.objects.filter(case=self.case).first() if self.case else None
            self._identity = Identity.of(record) if record is not None else Identity()
        return self._identity

    def forget_failed_file(self) -> None:
        """After a file failed and its savepoint took back what it wrote: a date offset cached
        for it (its row is gone, the next file would be shifted by days no row keeps) and a
        patient of whom nothing was kept are forgotten too."""
        self._shifts.clear()
        if not self.stored and not self.duplicates:
            self.fingerprint = None

    def shift_days(self, fingerprint: str) -> int:
        if fingerprint not in self._shifts:
            shift, _created = DateShift.objects.get_or_create(
                institution=self.institution,
                patient_fingerprint=fingerprint,
                defaults={"days": -(SHIFT_DAYS[0] + secrets.randbelow(SHIFT_DAYS[1] - SHIFT_DAYS[0]))},
            )
            self._shifts[fingerprint] = shift.days
        return self._shifts[fingerprint]


class CommitGroups:
    """Commits the index every `size` files instead of after each one.

    A commit waits for the disk (SQLite's fsync took 20-40 ms a file on our test machine, more
    than de-identifying the file); grouping keeps ingest fast, while a crash loses at most the
    rows of one group, whose files are received again from the upload or the scanner's resend.
    Each file still has its own savepoint, so a refused file takes nothing else with it.
    """

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self.count = 0
        self._block: transaction.Atomic | None = None

    def __enter__(self) -> CommitGroups:
        self._block = transaction.atomic()
        self._block.__enter__()
        return self

    def tick(self) -> None:
        self.count += 1
        if self.count % self.size == 0 and self._block is not None:
            self._block.__exit__(None, None, None)
            self._block = transaction.atomic()
            self._block.__enter__()

    def __exit__(self, *exc: object) -> None:
        if self._block is not None:
            self._block.__exit__(*exc)  # type: ignore[arg-type]
            self._block = None


def _options(batch: Batch, identity: Identity, pseudonym: str) -> Callable[[str], Options]:
    def for_patient(fingerprint: str) -> Options:
        return Options(shift_days=batch.shift_days(fingerprint), pseudonym=pseudonym, identity=identity)

    return for_patient


def receive(batch: Batch, data: bytes, name: str = "") -> Instance | None:
    """Store one file of the batch. Returns the stored instance, or None for a resend of an
    object already held; raises IngestError (also recorded in `batch.skipped`) otherwise."""
    pseudonym = batch.case.code if batch.case else "ND-UNATTACHED"
    try:
        prepared = prepare(
            io.BytesIO(data),
            _options(batch, batch.identity(), pseudonym),
            keyed_uid_mapper(uid_key()),
            fingerprint_key(),
            original_size=len(data),
            check=batch.check_patient,
        )
        instance = _store(batch, prepared, data)
    except IngestError as error:
        batch.skipped.append((name, error))
        raise
    finally:
        if batch.group is not None:
            batch.group.tick()
    if instance is None:
        batch.duplicates += 1
    else:
        batch.stored.append(instance)
    return instance


@transaction.atomic
def _store(batch: Batch, prepared: Prepared, original: bytes) -> Instance | None:
    _require_the_cases_patient(batch, prepared)
    held = Instance.objects.select_related("series__study").filter(sop_uid=prepared.sop_uid).first()
    if held is not None:
        _keep_the_first_copy(batch, held)
        return None
    study = _study_of(batch, prepared)
    series = _series_of(study, prepared)
    _add_to_review_and_report(series, prepared)
    return _save_both_copies(series, prepared, original)


def _require_the_cases_patient(batch: Batch, prepared: Prepared) -> None:
    if batch.case is not None and (
        Study.objects.filter(case=batch.case)
        .exclude(patient_fingerprint=prepared.patient_fingerprint)
        .exists()
    ):
        raise IngestError(Refusal.NOT_THIS_PATIENT)


def _keep_the_first_copy(batch: Batch, held: Instance) -> None:
    """The same image sent again: keep the first, lose nothing, and say so (the batch names the
    study: `already_here`, `attached`). Sent to a case while it waits unattached at the same
    hospital (from the scanner), it joins that case; another hospital's or another case's study
    is never taken by its UIDs."""
    waiting = held.series.study
    if waiting.institution_id != batch.institution.pk:
        raise IngestError(Refusal.ANOTHER_INSTITUTION)
    if batch.case is None:
        return
    if waiting.case_id == batch.case.pk:
        batch.already_here.add(waiting.pk)
    elif waiting.case_id is not None:
        raise IngestError(Refusal.ON_ANOTHER_CASE)
    else:
        waiting.case = batch.case
        waiting.save(update_fields=["case"])
        batch.attached.add(waiting.pk)


def _study_of(batch: Batch, prepared: Prepared) -> Study:
    """The study the image belongs to, created at the batch's hospital and case if new."""
    study, _created = Study.objects.select_for_update().get_or_create(
        study_uid=prepared.study_uid,
        defaults={
            "case": batch.case,
            "institution": batch.institution,
            "original_study_uid": prepared.original_study_uid,
            "patient_fingerprint": prepared.patient_fingerprint,
            "source": batch.source,
            "received_from": batch.received_from[:64],
            "study_date": prepared.study_date[:8],
            "is_synthetic": prepared.synthetic,
        },
    )
    if study.institution_id != batch.institution.pk:
        raise IngestError(Refusal.ANOTHER_INSTITUTION)
    if batch.case is not None:
        if study.case_id is None:  # more images of a study waiting at the hospital: said too
            study.case = batch.case
            study.save(update_fields=["case"])
            if not _created:
                batch.attached.add(study.pk)
        elif study.case_id != batch.case.pk:
            raise IngestError(Refusal.ON_ANOTHER_CASE)
    return study


def _series_of(study: Study, prepared: Prepared) -> Series:
    series, _created = Series.objects.get_or_create(
        series_uid=prepared.series_uid,
        defaults={
            "study": study,
            "original_series_uid": prepared.original_series_uid,
            "number": prepared.series_number,
            "description": prepared.series_description[:64],
            "modality": prepared.modality[:16],
            "rows": prepared.rows,
            "columns": prepared.columns,
            "pixel_spacing_row": prepared.pixel_spacing[0] if prepared.pixel_spacing else None,
            "pixel_spacing_column": prepared.pixel_spacing[1] if prepared.pixel_spacing else None,
            "slice_thickness": prepared.slice_thickness,
            "orientation": list(prepared.orientation or []),
        },
    )
    return series


def _add_to_review_and_report(series: Series, prepared: Prepared) -> None:
    """The series keeps every reason to look at its pixels and every de-identification decision
    of its images."""
    changed = []
    new_suspicions = sorted(set(series.suspicions) | {s.value for s in prepared.suspicions})
    # Any new image that needs a look undoes the review: the earlier one did not see it.
    if new_suspicions != series.suspicions or (prepared.suspicions and series.reviewed_at is not None):
        series.suspicions = new_suspicions
        series.reviewed_at = None  # a new reason to look: the earlier review does not cover it
        series.reviewed_by = None
        changed += ["suspicions", "reviewed_at", "reviewed_by"]
    report = dict(series.report)
    for entry in prepared.report:
        line: list[str | int] = [entry.action.value, entry.reason.value]
        if entry.words_removed:
            line.append(entry.words_removed)  # a count: the removed words are never stored
        report.setdefault(entry.path, line)
    if report != series.report:
        series.report = report
        changed.append("report")
    if changed:
        series.save(update_fields=changed)


def _save_both_copies(series: Series, prepared: Prepared, original: bytes) -> Instance:
    """The de-identified copy and the original, each read back against its hash before the index
    says they exist."""
    instance = Instance(
        series=series,
        sop_uid=prepared.sop_uid,
        original_sop_uid=prepared.original_sop_uid,
        sop_class_uid=prepared.sop_class_uid,
        number=prepared.instance_number,
        slice_position=prepared.slice_position,
        frames=prepared.frames,
        window_center=prepared.window[0] if prepared.window else None,
        window_width=prepared.window[1] if prepared.window else None,
        transfer_syntax=prepared.transfer_syntax,
        size=len(prepared.data),
        sha256=prepared.sha256,
        original_size=len(original),
        original_sha256=hashlib.sha256(original).hexdigest(),
    )
    instance.file.save("stored.dcm", ContentFile(prepared.data), save=False)
    instance.original.save("original.dcm", ContentFile(original), save=False)
    try:
        _verify(instance.file.name, instance.sha256)
        _verify(instance.original.name, instance.original_sha256)
        instance.save()
    except BaseException:
        # Whatever failed (a number no column holds, a lost connection): no file without its row.
        default_storage.delete(instance.file.name)
        default_storage.delete(instance.original.name)
        raise
    return instance


def restamp(study: Study) -> int:
    """Name the case in a study's stored copies once it is attached: a study that waited at the
    hospital (from a scanner or DICOMweb) was de-identified with a placeholder pseudonym. Only
    PatientName and PatientID change; the compressed pixels are copied as they are."""
    if study.case is None:
        return 0
    code = study.case.code
    changed = 0
    for instance in Instance.objects.filter(series__study=study):
        with instance.file.open("rb") as stored:
            ds = pydicom.dcmread(stored)
        if str(ds.get("PatientID", "")) == code:
            continue
        ds.PatientName = code
        ds.PatientID = code
        _replace_stored_copy(instance, ds)
        changed += 1
    return changed


MASKED = "masked"  # the report's action for pixels masked in the shared copy
MASK_REASON_OCR = "text_found_by_ocr"
MASK_REASON_DETECTOR = "text_found_by_detector"  # OCR unavailable, or it added nothing
# Header reasons that concern every image of the series (a screen, a document): each image with
# strokes is read by OCR, up to OCR_BUDGET a review (OCR takes about half a second an image). A
# derived series (reformats, hundreds of images) is read only where the detector saw text.
OCR_BUDGET = 64
READ_EVERY_IMAGE = {s.value for s in Suspicion} - {Suspicion.DERIVED_IMAGE, Suspicion.TEXT_IN_PIXELS}


@dataclass
class Masked:
    instance: int
    regions: int


def mask_key(instance: Instance) -> str:
    return f"PixelData (image {instance.number if instance.number is not None else '-'}, #{instance.pk})"


def _regions(
    ds: pydicom.Dataset, frame: np.ndarray, read_all: bool, budget: list[int]
) -> tuple[list[Box], str]:
    """Where to mask one frame, and why. The detector's regions always (on real CT it finds
    none; privacy first), extended by the lines of text OCR finds that hold strokes
    (`pixel_text.with_strokes`: OCR alone also sees text in brain texture). OCR reads the images
    where the detector saw text, and every image when the header says it is a screen."""
    floor = text_floor(ds)
    found = find_text(frame, floor)
    if not found and not (read_all and budget[0] > 0 and has_strokes(frame, floor)):
        return [], ""  # OCR could add nothing: it only counts where there are strokes
    budget[0] -= 1
    read = ocr.text_boxes(frame, inverted=str(ds.get("PhotometricInterpretation", "")) == "MONOCHROME1")
    lines = with_strokes(frame, read or [], floor)
    return merged(found + lines), MASK_REASON_OCR if lines else MASK_REASON_DETECTOR


def mask_text(series: Series) -> list[Masked]:
    """Fill the text in the pixels of the series' shared (de-identified) copies with black, once
    the referrer has let the series go: the original stays as it came. Each masked image is
    re-encoded as stored copies are, read back against its hash, its cached renderings dropped,
    and the series' report says how many regions of which image were masked. An image masked
    before is not read again."""
    budget = [OCR_BUDGET]
    read_all = bool(set(series.suspicions) & READ_EVERY_IMAGE)
    done: list[Masked] = []
    try:
        for instance in series.instances.all():
            if mask_key(instance) in series.report or instance.frames != 1:
                continue  # multi-frame objects that need a look cannot be shared (review_series)
            with instance.file.open("rb") as stored:
                ds = pydicom.dcmread(stored)
            pixels = compression.decode(ds).copy()
            boxes, reason = _regions(ds, pixels, read_all, budget)
            if not boxes:
                continue
            inverted = str(ds.get("PhotometricInterpretation", "")) == "MONOCHROME1"
            fill_boxes(pixels, boxes, pixels.max() if inverted else pixels.min())
            compression.reencode(ds, pixels)
            _replace_stored_copy(instance, ds)
            series.report[mask_key(instance)] = [MASKED, reason, len(boxes)]
            Series.objects.filter(pk=series.pk).update(report=series.report)
            done.append(Masked(instance.pk, len(boxes)))
    finally:
        # Also when a later image fails: those masked so far must not be shown from the cache
        # (a second review skips them, so it would not drop their renderings).
        if done:
            drop_renderings(series)
    return done


def _replace_stored_copy(instance: Instance, ds: pydicom.Dataset) -> None:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    previous = instance.file.name
    instance.file.save("stored.dcm", ContentFile(data), save=False)
    try:
        _verify(instance.file.name, digest)
    except StorageMismatch:
        default_storage.delete(instance.file.name)
        raise
    Instance.objects.filter(pk=instance.pk).update(
        file=instance.file.name,
        size=len(data),
        sha256=digest,
        transfer_syntax=str(ds.file_meta.TransferSyntaxUID),
    )
    default_storage.delete(previous)


def remember_orientation(series: Series) -> None:
    """Series stored before the index kept the orientation: read it once from the first image's
    header (the de-identified copy keeps it)."""
    first = series.instances.first()
    if first is None:
        return
    try:
        with first.file.open("rb") as stored:
            value = pydicom.dcmread(stored, stop_before_pixels=True).get("ImageOrientationPatient")
        cosines = [float(v) for v in value] if value else []
    except (OSError, ValueError, TypeError, InvalidDicomError):
        return
    if len(cosines) == 6:
        series.orientation = cosines
        Series.objects.filter(pk=series.pk).update(orientation=cosines)


def drop_renderings(series: Series) -> int:
    """Delete the series' cached renderings and thumbnail (see imaging.renderings, which keeps
    them under this folder): they show the pixels as they were."""
    folder = f"imaging-renderings/{series.study_id}/{series.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    return len(files)


def _verify(name: str, sha256: str) -> None:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise StorageMismatch(name)


__all__ = [
    "MASKED",
    "Batch",
    "CommitGroups",
    "Masked",
    "StorageMismatch",
    "drop_renderings",
    "fingerprint_key",
    "mask_key",
    "mask_text",
    "receive",
    "remember_orientation",
    "restamp",
    "uid_key",
]
