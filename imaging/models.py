"""Imaging studies attached to consultations, stored de-identified and losslessly compressed.

Everything here lives on the Tanzanian side. The original UIDs, the original files and the
per-patient date offset are what links a study back to the patient: they are never shown to a
consultant, never exported and never logged.
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution
from consultations.models import Case


class Study(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        NODE = "node", _("Sent by a scanner or PACS")
        STOW = "stow", _("Sent through DICOMweb")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="studies", null=True, blank=True, verbose_name=_("case")
    )
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    study_uid = models.CharField(max_length=64, unique=True)  # de-identified
    original_study_uid = models.CharField(max_length=64)
    patient_fingerprint = models.CharField(max_length=32, db_index=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    received_from = models.CharField(max_length=64, blank=True)  # calling AE title, for node studies
    description = models.CharField(_("description"), max_length=64, blank=True)
    study_date = models.CharField(max_length=8, blank=True)  # moved by the patient's offset
    # Demonstration images of a numerical phantom (imaging.geometry.is_synthetic): the viewer
    # and the case say "not a patient".
    is_synthetic = models.BooleanField(_("synthetic demonstration images"), default=False)
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("imaging study")
        verbose_name_plural = _("imaging studies")

    def __str__(self) -> str:
        return f"study {self.pk}"

    @property
    def label(self) -> str:
        """Its description, or what its series are ("CT Head without contrast")."""
        if self.description:
            return self.description
        names = dict.fromkeys(f"{s.modality} {s.description}".strip() for s in self.series.all())
        return ", ".join(name for name in names if name)[:100]

    @property
    def study_day(self) -> datetime.date | None:
        """The (moved) study date as a date, for showing in the reader's language; None when the
        scanner wrote none or something that is no date."""
        try:
            return datetime.datetime.strptime(self.study_date, "%Y%m%d").date()  # noqa: DTZ007 (a date)
        except ValueError:
            return None


class Series(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="series")
    series_uid = models.CharField(max_length=64, unique=True)
    original_series_uid = models.CharField(max_length=64)
    number = models.IntegerField(null=True, blank=True)
    description = models.CharField(_("description"), max_length=64, blank=True)
    modality = models.CharField(max_length=16, blank=True)
    rows = models.PositiveIntegerField(default=0)
    columns = models.PositiveIntegerField(default=0)
    pixel_spacing_row = models.FloatField(null=True, blank=True)
    pixel_spacing_column = models.FloatField(null=True, blank=True)
    slice_thickness = models.FloatField(null=True, blank=True)
    # ImageOrientationPatient of its first image (six direction cosines), for the viewer's
    # orientation letters; empty when the scanner wrote none.
    orientation = models.JSONField(default=list, blank=True)
    # Why its pixels may show identifiers (burned-in text): empty when there is no reason.
    suspicions = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    excluded = models.BooleanField(_("excluded from sharing"), default=False)
    # What de-identification did, per attribute path: {"PatientName": ["replaced", "pseudonym"]}.
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return f"series {self.number}"

    @property
    def awaits_review(self) -> bool:
        return bool(self.suspicions) and self.reviewed_at is None

    @property
    def shareable(self) -> bool:
        return not self.excluded and not self.awaits_review


def _stored_name(instance: Instance, filename: str) -> str:
    return f"imaging/{instance.series.study_id}/{instance.series_id}/{secrets.token_hex(10)}.dcm"


def _original_name(instance: Instance, filename: str) -> str:
    return f"imaging-originals/{instance.series.study_id}/{instance.series_id}/{secrets.token_hex(10)}.dcm"


class Instance(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="instances")
    sop_uid = models.CharField(max_length=64, unique=True)
    original_sop_uid = models.CharField(max_length=64)
    sop_class_uid = models.CharField(max_length=64)
    number = models.IntegerField(null=True, blank=True)
    slice_position = models.FloatField(null=True, blank=True)
    frames = models.PositiveIntegerField(default=1)
    window_center = models.FloatField(null=True, blank=True)
    window_width = models.FloatField(null=True, blank=True)
    transfer_syntax = models.CharField(max_length=64)
    file = models.FileField(upload_to=_stored_name, max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original = models.FileField(upload_to=_original_name, max_length=200)
    original_size = models.PositiveIntegerField()
    original_sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slice_position", "number", "pk"]
        indexes = [models.Index(fields=["series", "slice_position"], name="instance_series_position_idx")]

    def __str__(self) -> str:
        return f"instance {self.number}"


class DateShift(models.Model):
    """The per-patient offset applied to every date in their studies (longitudinal intervals
    survive, the calendar dates do not). Drawn once per patient of an institution."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    patient_fingerprint = models.CharField(max_length=32)
    days = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "patient_fingerprint"], name="one_shift_per_patient"
            )
        ]

    def __str__(self) -> str:
        return "date shift"


class UploadBatch(models.Model):
    """The files a person sends to one case in one go (a folder, a CD, a zip): one patient."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="upload_batches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient_fingerprint = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"upload batch {self.pk}"


class Upload(models.Model):
    """One file on its way in, resumable (the tus protocol): bytes land in the incoming folder
    at their offset, and the offset is what the disk holds, so a server killed mid-write resumes
    from the last byte it really kept."""

    class State(models.TextChoices):
        RECEIVING = "receiving", _("Receiving")
        WAITING = "waiting", _("Waiting to be processed")
        PROCESSING = "processing", _("Processing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Not taken")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(UploadBatch, on_delete=models.CASCADE, related_name="uploads")
    name = models.CharField(max_length=255)  # as the sender named it; shown to the referring team only
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECEIVING)
    # {"stored": n, "duplicates": n, "skipped": [{"name": ..., "refusal": ..., "params": {...}}]}
    outcome = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"upload {self.pk}"


class DicomSender(models.Model):
    """A scanner or PACS allowed to send studies to the DICOM node, known by its calling AE
    title. What it sends belongs to its institution and waits there for a referrer to attach it
    to a case."""

    ae_title = models.CharField(_("AE title"), max_length=16, unique=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    description = models.CharField(_("description"), max_length=100, blank=True)
    is_active = models.BooleanField(_("allowed to send"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ae_title"]
        verbose_name = _("DICOM sender")
        verbose_name_plural = _("DICOM senders")

    def __str__(self) -> str:
        return self.ae_title


class Annotation(models.Model):
    """What a reader leaves on one image for the other side: an arrow, a text, a measured
    distance, or the mark of a key image. Positions are in image pixels (column, row)."""

    class Kind(models.TextChoices):
        ARROW = "arrow", _("Arrow")
        TEXT = "text", _("Text")
        DISTANCE = "distance", _("Distance")
        KEY = "key", _("Key image")

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # [[x1, y1], [x2, y2]] for an arrow (tail, head) or a distance; [[x, y]] for a text.
    points = models.JSONField(default=list, blank=True)
    text = models.CharField(_("text"), max_length=300, blank=True)
    millimetres = models.FloatField(null=True, blank=True)  # for a distance
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} on instance {self.instance_id}"
