"""The tables of workshops and training sessions.

A session's title is typed by its coordinator in one language (the session's `language`), so it is
one column, not three. Times are kept in UTC and shown in each viewer's zone.

Nobody's cadre is recorded on their account: a participant names their cadre when registering
(`Registration.cadre`), which is checked against the session's audience and counted in the
indicators ("people trained by cadre").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution


class Cadre(models.TextChoices):
    NEUROSURGEON = "neurosurgeon", _("Neurosurgeon")
    RESIDENT = "resident", _("Resident in neurosurgery")
    MEDICAL_OFFICER = "medical-officer", _("Medical officer")
    NURSE = "nurse", _("Nurse")
    CLINICAL_OFFICER = "clinical-officer", _("Clinical officer")
    ANAESTHETIST = "anaesthetist", _("Anaesthetist")
    RADIOGRAPHER = "radiographer", _("Radiographer")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    COURSE = "course", _("Course")
    LECTURE = "lecture", _("Lecture")
    SIMULATION = "simulation", _("Simulation training")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


def validate_https(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("The video link must start with https://."), code="not_https")


def validate_cadres(value: list[str]) -> None:
    if not isinstance(value, list) or any(cadre not in Cadre.values for cadre in value):
        raise ValidationError(_("Choose the cadres from the list."), code="cadre")


class Session(models.Model):
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language of the session"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.WORKSHOP)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True, validators=[validate_https])
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("organised by"),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sessions_taught", verbose_name=_("trainers")
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=20, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    # Empty: open to every cadre.
    audience = models.JSONField(_("audience"), default=list, blank=True, validators=[validate_cadres])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # Shown to the coordinators and trainers; typed by participants during the session.
    check_in_code = models.CharField(_("check-in code"), max_length=12, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})
        if not self.venue and not self.video_link:
            raise ValidationError(_("Give a venue, a video link or both."))

    def is_open_to(self, cadre: str) -> bool:
        return not self.audience or cadre in self.audience

    def audience_labels(self) -> list[str]:
        return [str(Cadre(cadre).label) for cadre in self.audience if cadre in Cadre.values]


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class CheckIn(models.TextChoices):
    LIST = "list", _("Ticked on the list")
    CODE = "code", _("Check-in code")


class Registration(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="session_registrations",
        verbose_name=_("participant"),
    )
    cadre = models.CharField(_("your cadre"), max_length=20, choices=Cadre.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    # 1, 2, … on the waiting list; empty otherwise.
    position = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.CharField(_("checked in by"), max_length=4, choices=CheckIn.choices, blank=True)
    # Came without registering: added to the list by a coordinator during or after the session.
    walk_in = models.BooleanField(_("came without registering"), default=False)
    # When the level-3 follow-up went to the participant's supervisors (or was found to have none).
    follow_up_done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "status", "position", "registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="session_registration_once")
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.participant_id} ({self.status})"


def rating_field(label: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(5)])


class Feedback(models.Model):
    """Kirkpatrick level 1 (reaction): once per participant who attended."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("registration")
    )
    relevance = rating_field(_("relevance to my work"))
    teaching = rating_field(_("quality of the teaching"))
    practical = rating_field(_("practical usefulness"))
    organisation = rating_field(_("organisation"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.registration_id}"


class PracticeChange(models.TextChoices):
    YES = "yes", _("Yes, clearly")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("I could not observe it")


class FollowUp(models.Model):
    """Kirkpatrick level 3 (behaviour): weeks after the session, a supervisor of the participant is
    asked whether their practice changed."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("registration")
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("supervisor")
    )
    sent_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    practice_changed = models.CharField(
        _("has their practice changed?"), max_length=8, choices=PracticeChange.choices, blank=True
    )
    comment = models.TextField(_("what changed, or what stands in the way"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "supervisor"], name="session_follow_up_once")
        ]
        verbose_name = _("follow-up question")
        verbose_name_plural = _("follow-up questions")

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.supervisor_id}"
