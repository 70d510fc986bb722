"""A consultation has two records: the clinical one consultants see under a pseudonymous code,
and the identifiable one that only the referring hospital's team sees (PatientIdentity)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution
from core.models import Country, DiagnosisCategory, Specialty

# Letters and digits that cannot be misread on a phone or over a bad line (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_case_code() -> str:
    return "ND-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Waiting for a consultant")
    ACKNOWLEDGED = "acknowledged", _("Consultant reviewing")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not recorded")


class AgeUnit(models.TextChoices):
    YEARS = "years", _("years")
    MONTHS = "months", _("months")


class Mechanism(models.TextChoices):
    MOTORCYCLE = "motorcycle", _("Road traffic: motorcycle (bodaboda)")
    PEDESTRIAN = "pedestrian", _("Road traffic: pedestrian hit")
    VEHICLE = "vehicle", _("Road traffic: car or bus occupant")
    FALL_HEIGHT = "fall_height", _("Fall from a height")
    FALL_LEVEL = "fall_level", _("Fall from standing height")
    ASSAULT = "assault", _("Assault")
    SPORT = "sport", _("Sport or play")
    OTHER = "other", _("Other")


GCS_EYE = [
    ("4", _("4 — opens spontaneously")),
    ("3", _("3 — to sound")),
    ("2", _("2 — to pressure")),
    ("1", _("1 — none")),
    ("NT", _("Not testable")),
]
GCS_VERBAL = [
    ("5", _("5 — oriented")),
    ("4", _("4 — confused")),
    ("3", _("3 — words")),
    ("2", _("2 — sounds")),
    ("1", _("1 — none")),
    ("NT", _("Not testable")),
]
GCS_MOTOR = [
    ("6", _("6 — obeys commands")),
    ("5", _("5 — localising")),
    ("4", _("4 — normal flexion")),
    ("3", _("3 — abnormal flexion")),
    ("2", _("2 — extension")),
    ("1", _("1 — none")),
    ("NT", _("Not testable")),
]


class PupilReaction(models.TextChoices):
    BRISK = "brisk", _("Reacts briskly")
    SLUGGISH = "sluggish", _("Reacts sluggishly")
    NON_REACTIVE = "non_reactive", _("Does not react")
    NOT_ASSESSABLE = "not_assessable", _("Cannot be assessed")


class Seizures(models.TextChoices):
    NONE = "none", _("None")
    SINGLE = "single", _("One seizure")
    RECURRENT = "recurrent", _("Recurrent seizures")
    STATUS = "status", _("Status epilepticus")


class Bleed(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known (no CT)")


class ShuntHistory(models.TextChoices):
    NONE = "none", _("No shunt or ETV")
    SHUNT = "shunt", _("Shunt in place")
    REVISED = "revised", _("Shunt, already revised")
    ETV = "etv", _("Previous ETV")


@dataclass(frozen=True)
class Band:
    """An interval given as a range: at least `at_least`, under `under` (None: open) `unit`s."""

    at_least: int | None
    under: int | None
    unit: str  # "hours" or "days"
    label: Promise

    def holds(self, value: float) -> bool:
        return (self.at_least is None or value >= self.at_least) and (
            self.under is None or value < self.under
        )


# Outside the referring team, the time a case was sent is known to the minute: it is the
# consultation itself (lists, deadlines, notifications). Any exact interval from it is therefore an
# exact date: "9 days from referral to operation" plus the sending time is the operation date, and
# "3 hours before referral" the time of injury to the half-hour. So those outside the team see
# intervals only as ranges at least three hours or three days wide, cut where the clinical
# decision changes (the first CT within 3 and 6 hours, acute within a day, subacute within a
# week; an operation within 3 days or a week of the advice). The range still tells the consultant
# what matters, and no combination with the sending time narrows a date below the range's width.
# (The day an outcome is recorded bounds the operation date from above, and the consultants are
# told the day it is recorded: an operation recorded the day after the referral is known to lie
# within those two days, whatever the interval says. Only a later recording hides it better.)
INJURY_TO_REFERRAL = (
    Band(0, 3, "hours", _("less than 3 hours before referral")),
    Band(3, 6, "hours", _("3 to 6 hours before referral")),
    Band(6, 12, "hours", _("6 to 12 hours before referral")),
    Band(12, 24, "hours", _("12 to 24 hours before referral")),
    Band(24, 72, "hours", _("1 to 3 days before referral")),
    Band(72, 168, "hours", _("3 to 7 days before referral")),
    Band(168, None, "hours", _("more than a week before referral")),
)
REFERRAL_TO_OPERATION = (
    Band(None, 0, "days", _("before the referral")),
    Band(0, 3, "days", _("within 3 days of the referral")),
    Band(3, 8, "days", _("3 to 7 days after the referral")),
    Band(8, 29, "days", _("1 to 4 weeks after the referral")),
    Band(29, 92, "days", _("1 to 3 months after the referral")),
    Band(92, None, "days", _("more than 3 months after the referral")),
)


def band_of(value: float | None, bands: tuple[Band, ...]) -> Band | None:
    if value is None:
        return None
    return next(band for band in bands if band.holds(value))


def in_half_millimetres(value: Decimal) -> None:
    """Pupils are measured against a gauge in half millimetres: 3.5 is a reading, 3.3 a slip."""
    if value is not None and (value * 2) % 1:
        raise ValidationError(
            _("Give the pupil size in whole or half millimetres, for example 3 or 3.5."), code="half_mm"
        )


class Case(models.Model):
    code = models.CharField(_("case code"), max_length=12, unique=True, default=new_case_code, editable=False)
    referring_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="cases", verbose_name=_("referring institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_referred",
        verbose_name=_("referrer"),
    )
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, verbose_name=_("specialty"))
    category = models.ForeignKey(
        DiagnosisCategory, on_delete=models.PROTECT, verbose_name=_("working diagnosis category")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.URGENT)

    # The patient, without identifiers
    age_value = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_unit = models.CharField(_("age in"), max_length=10, choices=AgeUnit.choices, default=AgeUnit.YEARS)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    presenting_complaint = models.CharField(_("presenting complaint"), max_length=300, blank=True)
    history = models.TextField(_("history"), blank=True, max_length=4000)
    mechanism = models.CharField(
        _("mechanism of injury"), max_length=20, choices=Mechanism.choices, blank=True
    )
    # Exact time: shown to the referring team; others see the interval to referral.
    injury_at = models.DateTimeField(_("time of injury"), null=True, blank=True)

    gcs_eye = models.CharField(_("GCS eye opening"), max_length=2, choices=GCS_EYE, blank=True)
    gcs_verbal = models.CharField(_("GCS verbal response"), max_length=2, choices=GCS_VERBAL, blank=True)
    gcs_motor = models.CharField(_("GCS motor response"), max_length=2, choices=GCS_MOTOR, blank=True)
    gcs_falling = models.BooleanField(_("GCS has fallen since arrival"), default=False)
    pupil_left_mm = models.DecimalField(
        _("left pupil size (mm)"),
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9), in_half_millimetres],
    )
    pupil_left_reaction = models.CharField(
        _("left pupil reaction"), max_length=20, choices=PupilReaction.choices, blank=True
    )
    pupil_right_mm = models.DecimalField(
        _("right pupil size (mm)"),
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9), in_half_millimetres],
    )
    pupil_right_reaction = models.CharField(
        _("right pupil reaction"), max_length=20, choices=PupilReaction.choices, blank=True
    )
    systolic_bp = models.PositiveSmallIntegerField(
        _("systolic blood pressure (mmHg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(40), MaxValueValidator(300)],
    )
    diastolic_bp = models.PositiveSmallIntegerField(
        _("diastolic blood pressure (mmHg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(200)],
    )
    heart_rate = models.PositiveSmallIntegerField(
        _("heart rate (/min)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(250)],
    )
    respiratory_rate = models.PositiveSmallIntegerField(
        _("respiratory rate (/min)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(4), MaxValueValidator(80)],
    )
    oxygen_saturation = models.PositiveSmallIntegerField(
        _("oxygen saturation (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
    )
    temperature = models.DecimalField(
        _("temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(45)],
    )
    focal_deficits = models.TextField(_("focal neurological deficits"), blank=True, max_length=2000)
    seizures = models.CharField(_("seizures"), max_length=20, choices=Seizures.choices, blank=True)
    comorbidities = models.TextField(_("comorbidities"), blank=True, max_length=2000)
    medication = models.TextField(_("medication"), blank=True, max_length=2000)
    anticoagulant = models.BooleanField(_("takes an anticoagulant (e.g. warfarin)"), default=False)
    antiplatelet = models.BooleanField(_("takes an antiplatelet (e.g. aspirin)"), default=False)
    ct_findings = models.TextField(_("CT findings"), blank=True, max_length=4000)
    intracranial_bleed = models.CharField(
        _("bleeding inside the skull on CT"), max_length=10, choices=Bleed.choices, default=Bleed.UNKNOWN
    )
    shunt_history = models.CharField(
        _("shunt history"), max_length=20, choices=ShuntHistory.choices, blank=True
    )
    shunt_details = models.TextField(_("shunt details"), blank=True, max_length=2000)
    question = models.TextField(_("your question for the consultant"), blank=True, max_length=2000)

    # A random token from the form that created the case: a double-submitted form on a slow
    # link finds the case it already created instead of making a second one.
    client_token = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    # Free-text findings the referrer confirmed may stay (keys from identifiers.Finding.key).
    confirmed_identifier_keys = models.JSONField(default=list, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    deadline = models.DateTimeField(_("answer due by"), null=True, blank=True, db_index=True)
    first_acknowledged_at = models.DateTimeField(_("first acknowledged"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_reason = models.TextField(_("reason for closing"), blank=True, max_length=1000)
    outcome_reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["referring_institution", "status"], name="case_institution_status_idx"),
            models.Index(fields=["status", "deadline"], name="case_status_deadline_idx"),
            # Lists are newest first: these let a page of 30 be read from the index.
            models.Index(fields=["referring_institution", "-submitted_at"], name="case_institution_sent_idx"),
            models.Index(fields=["-submitted_at", "-created_at"], name="case_sent_idx"),
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.injury_at and self.injury_at > timezone.now() + timedelta(minutes=5):
            errors["injury_at"] = _("The time of injury cannot be in the future.")
        if self.age_unit == AgeUnit.MONTHS and self.age_value is not None and self.age_value > 24:
            errors["age_value"] = _("Give the age in years from two years old.")
        if self.age_unit == AgeUnit.YEARS and self.age_value is not None and self.age_value < 2:
            # Paediatric rules split at 24 months and the ETV score at 1 and 6 months,
            # so "1 year" or "0 years" would put the child in the wrong group.
            errors["age_value"] = _("Give the age in months under two years old.")
        if self.systolic_bp and self.diastolic_bp and self.diastolic_bp >= self.systolic_bp:
            errors["diastolic_bp"] = _("The diastolic pressure must be lower than the systolic.")
        if errors:
            raise ValidationError(errors)

    @property
    def gcs_total(self) -> int | None:
        parts = (self.gcs_eye, self.gcs_verbal, self.gcs_motor)
        if all(part.isdigit() for part in parts):
            return sum(int(part) for part in parts)
        return None

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_open(self) -> bool:
        """Sent and not closed: consultants may still answer and the thread is open."""
        return self.status not in (Status.DRAFT, Status.CLOSED)

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def is_waiting(self) -> bool:
        """Sent, and no consultant has acknowledged it yet: its deadline is running."""
        return self.status == Status.OPEN

    @property
    def is_answered(self) -> bool:
        return self.status == Status.ANSWERED

    def hours_from_injury_to_referral(self) -> int | None:
        """Whole hours: for the referring team, who see the time of injury itself. Outside it,
        `injury_to_referral` (a range): hours and the time of sending give the time of injury."""
        if self.injury_at is None:
            return None
        reference = self.submitted_at or timezone.now()
        return max(0, round((reference - self.injury_at).total_seconds() / 3600))

    def injury_to_referral(self) -> Band | None:
        """The interval from injury to referral as a range (INJURY_TO_REFERRAL says why)."""
        if self.injury_at is None:
            return None
        reference = self.submitted_at or timezone.now()
        return band_of(max(0.0, (reference - self.injury_at).total_seconds() / 3600), INJURY_TO_REFERRAL)

    def referred_on(self) -> date | None:
        """The calendar day the case was sent, where the referring hospital is."""
        if self.submitted_at is None:
            return None
        return self.submitted_at.astimezone(ZoneInfo(self.referring_institution.time_zone)).date()

    def is_overdue(self, now: datetime | None = None) -> bool:
        return (
            self.status == Status.OPEN
            and self.deadline is not None
            and self.deadline < (now or timezone.now())
        )


class PatientIdentity(models.Model):
    """The identifiable record. Never leaves the referring hospital's team: not shown to
    consultants, not exported, not logged."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    full_name = models.CharField(_("patient's full name"), max_length=200)
    hospital_number = models.CharField(_("hospital number"), max_length=50, blank=True)
    phone = models.CharField(_("phone number (patient or family)"), max_length=20, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    admitted_on = models.DateField(_("date of admission"), null=True, blank=True)

    class Meta:
        verbose_name = _("patient identity")
        verbose_name_plural = _("patient identities")

    def __str__(self) -> str:
        return f"identity of {self.case.code}"

    def clean(self) -> None:
        # "Today" at the referring hospital: a date typed there is a date of its calendar.
        zone = ZoneInfo(self.case.referring_institution.time_zone) if self.case_id else None
        today = timezone.localdate(timezone=zone)
        errors: dict[str, Any] = {}
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = _("The date of birth cannot be in the future.")
        if self.admitted_on and self.admitted_on > today:
            errors["admitted_on"] = _("The date of admission cannot be in the future.")
        elif self.admitted_on and self.date_of_birth and self.admitted_on < self.date_of_birth:
            errors["admitted_on"] = _("The date of admission cannot be before the date of birth.")
        if errors:
            raise ValidationError(errors)


class Consent(models.Model):
    class GivenBy(models.TextChoices):
        PATIENT = "patient", _("The patient")
        RELATIVE = "relative", _("A relative")
        GUARDIAN = "guardian", _("A parent or guardian")

    class Method(models.TextChoices):
        VERBAL = "verbal", _("Verbal, with a witness")
        WRITTEN = "written", _("Written and signed")
        THUMBPRINT = "thumbprint", _("Thumbprint")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="consent")
    given_by = models.CharField(_("consent given by"), max_length=20, choices=GivenBy.choices)
    relationship = models.CharField(_("relationship to the patient"), max_length=100, blank=True)
    method = models.CharField(_("how consent was given"), max_length=20, choices=Method.choices)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries where the case may be seen"), related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"consent for {self.case.code}"


class Assignment(models.Model):
    class Via(models.TextChoices):
        ROUTING = "routing", _("Chosen automatically")
        COORDINATOR = "coordinator", _("Assigned by a coordinator")
        ESCALATION = "escalation", _("Escalated")
        INVITED = "invited", _("Invited by a consultant")

    class Ended(models.TextChoices):
        ESCALATED = "escalated", _("No answer in time")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Declined")
        ANSWERED = "answered", _("Gave an opinion")  # then the case was closed
        CASE_CLOSED = "case_closed", _("Case closed before an answer")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("consultant"),
    )
    via = models.CharField(_("how"), max_length=20, choices=Via.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    deadline = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_reason = models.CharField(_("why it ended"), max_length=20, choices=Ended.choices, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        indexes = [models.Index(fields=["consultant", "ended_at"], name="assignment_active_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "consultant"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_consultant",
            )
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.case.code} → {self.consultant_id}"


class Opinion(models.Model):
    class Recommendation(models.TextChoices):
        OPERATE_LOCALLY = "operate_locally", _("Operate locally")
        TRANSFER = "transfer", _("Transfer")
        CONSERVATIVE = "conservative", _("Manage conservatively")
        INVESTIGATE = "investigate", _("Further investigations first")

    class Timing(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        WITHIN_24H = "within_24h", _("Within 24 hours")
        WITHIN_WEEK = "within_week", _("Within a week")
        ELECTIVE = "elective", _("Planned (elective)")

    class Confidence(models.TextChoices):
        HIGH = "high", _("High")
        MODERATE = "moderate", _("Moderate")
        LOW = "low", _("Low: needs more information")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="opinions")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opinions"
    )
    impression = models.TextField(_("impression"), max_length=4000)
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Recommendation.choices)
    procedure = models.CharField(_("procedure"), max_length=300, blank=True)
    timing = models.CharField(_("how soon"), max_length=20, choices=Timing.choices, blank=True)
    transfer_to = models.CharField(_("transfer to"), max_length=200, blank=True)
    investigations = models.TextField(_("investigations"), blank=True, max_length=2000)
    advice = models.TextField(_("advice"), blank=True, max_length=6000)
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices)
    client_token = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")

    def __str__(self) -> str:
        return f"opinion on {self.case.code}"


class Message(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=4000)
    client_token = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"message on {self.case.code}"


class Outcome(models.Model):
    class Management(models.TextChoices):
        OPERATED_LOCALLY = "operated_locally", _("Operated here")
        TRANSFERRED = "transferred", _("Transferred")
        CONSERVATIVE = "conservative", _("Managed conservatively")
        DIED_BEFORE_TREATMENT = "died_before_treatment", _("Died before treatment")
        LEFT = "left", _("Left against medical advice")

    class OperatedBy(models.TextChoices):
        LOCAL_SURGEON = "local_surgeon", _("A surgeon of this hospital")
        LOCAL_WITH_VISITOR = "local_with_visitor", _("A surgeon of this hospital with a visiting surgeon")
        VISITING_SURGEON = "visiting_surgeon", _("A visiting surgeon")
        RECEIVING_HOSPITAL = "receiving_hospital", _("The receiving hospital")

    class Discharge(models.TextChoices):
        HOME = "home", _("Alive, home")
        TRANSFERRED = "transferred", _("Alive, transferred")
        DIED = "died", _("Died")
        STILL_ADMITTED = "still_admitted", _("Still admitted")

    GOSE = [
        (1, _("1 — dead")),
        (2, _("2 — vegetative state")),
        (3, _("3 — lower severe disability")),
        (4, _("4 — upper severe disability")),
        (5, _("5 — lower moderate disability")),
        (6, _("6 — upper moderate disability")),
        (7, _("7 — lower good recovery")),
        (8, _("8 — upper good recovery")),
    ]

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="outcome")
    management = models.CharField(_("what was done"), max_length=30, choices=Management.choices)
    operated_by = models.CharField(_("operated by"), max_length=30, choices=OperatedBy.choices, blank=True)
    operation = models.CharField(_("operation"), max_length=300, blank=True)
    operation_date = models.DateField(_("date of operation"), null=True, blank=True)
    complications = models.TextField(_("complications"), blank=True, max_length=2000)
    discharge_status = models.CharField(_("status at discharge"), max_length=20, choices=Discharge.choices)
    gose_discharge = models.PositiveSmallIntegerField(
        _("GOS-E at discharge"), choices=GOSE, null=True, blank=True
    )
    gose_6_months = models.PositiveSmallIntegerField(
        _("GOS-E at 6 months"), choices=GOSE, null=True, blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"outcome of {self.case.code}"

    def days_from_referral_to_operation(self) -> int | None:
        """Exact days: for the referring team only (with the sending time, it is the date)."""
        referred_on = self.case.referred_on()
        if self.operation_date is None or referred_on is None:
            return None
        return (self.operation_date - referred_on).days

    def referral_to_operation(self) -> Band | None:
        """The interval from referral to operation as a range, for those outside the team."""
        return band_of(self.days_from_referral_to_operation(), REFERRAL_TO_OPERATION)


class OnCallShift(models.Model):
    """A consultant on call, stored in UTC and entered in the consultant's own time zone."""

    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="on_call_shifts",
        verbose_name=_("consultant"),
    )
    starts_at = models.DateTimeField(_("from"), db_index=True)
    ends_at = models.DateTimeField(_("until"), db_index=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]
        verbose_name = _("on-call shift")
        verbose_name_plural = _("on-call shifts")

    def __str__(self) -> str:
        return f"{self.consultant_id} {self.starts_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Named by case code and a random part, never by the uploaded name (it may hold the patient's).
    return f"cases/{instance.case.code}/{secrets.token_hex(8)}{instance.extension}"


class Attachment(models.Model):
    """A document or a photo attached to a case (DICOM studies belong to the imaging app)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document (PDF)")
        PHOTO = "photo", _("Photo")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    description = models.CharField(_("what it shows"), max_length=200)
    content_type = models.CharField(max_length=50)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="one_copy_per_case")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.case.code}: {self.description}"


class Conference(models.Model):
    """A scheduled multidisciplinary case conference. Attendance counts as training."""

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    video_link = models.URLField(_("video link"), blank=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("organised by")
    )
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")

    def __str__(self) -> str:
        return self.title


class ConferenceCase(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conference_items")
    summary = models.TextField(_("summary of the discussion"), blank=True, max_length=3000)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "case"], name="case_once_per_conference")
        ]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.case_id}"


class ConferenceParticipant(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conferences")
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        ordering = ["person__full_name"]
        constraints = [models.UniqueConstraint(fields=["conference", "person"], name="participant_once")]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.person_id}"
