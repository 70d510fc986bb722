"""The training strand's data: the curriculum (programmes, stages, procedure groups with their
requirements, competencies), the procedure master list, enrolments and the logbook.

Curriculum items are content, so each carries its name in the three languages (STYLE.md).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution
from training.codes import ORDER, Supervision


class Named(models.Model):
    """Content with its name in English, Kiswahili and Chinese; shown in the reader's language."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_sw = models.CharField(_("name (Kiswahili)"), max_length=200)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        suffix = (get_language() or "en").replace("-", "_")
        return getattr(self, f"name_{suffix}", "") or self.name_en


class Programme(Named):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    # Its coordinators are the coordinators of this institution.
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("institution")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


def validate_codes(value: list[str]) -> None:
    if not isinstance(value, list) or not value or any(code not in ORDER for code in value):
        raise ValidationError(_("Choose one or more of the codes O, A, S-TS, S-TU, P and T."))


class Stage(Named):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="stages", verbose_name=_("programme")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The supervision codes a trainee at this stage may log (a first-year resident: no P or T).
    allowed_codes = models.JSONField(
        _("supervision codes allowed"), default=list, validators=[validate_codes]
    )

    class Meta:
        ordering = ["programme", "position"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")


class ProcedureGroup(Named):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("procedure group")
        verbose_name_plural = _("procedure groups")


class Requirement(models.Model):
    """At least `minimum` entries of the group at `level` or more independent (P counts for S-TU)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("programme")
    )
    group = models.ForeignKey(
        ProcedureGroup,
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("procedure group"),
    )
    level = models.CharField(_("supervision level"), max_length=4, choices=Supervision.choices)
    minimum = models.PositiveIntegerField(_("minimum number"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["programme", "group__position", "level"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "group", "level"], name="training_one_requirement")
        ]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self) -> str:
        return f"{self.group} {self.level} ≥ {self.minimum}"


class Competency(Named):
    """An entrustable professional activity, rated 1 (observes only) to 5 (may supervise others)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="competencies", verbose_name=_("programme")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("stage")
    )
    code = models.SlugField(_("code"), max_length=40)
    level_expected = models.PositiveSmallIntegerField(
        _("entrustment level expected"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        ordering = ["programme", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="training_competency_code")]
        verbose_name = _("competency (EPA)")
        verbose_name_plural = _("competencies (EPA)")


class Procedure(Named):
    code = models.SlugField(_("local code"), max_length=40, unique=True)
    group = models.ForeignKey(
        ProcedureGroup, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("procedure group")
    )
    paediatric_bellwether = models.BooleanField(_("paediatric bellwether procedure"), default=False)
    # Standard codes only where known for sure; empty otherwise (never guessed).
    icd10pcs = models.CharField(_("ICD-10-PCS code"), max_length=7, blank=True)
    icd9cm3 = models.CharField(_("ICD-9-CM-3 code (China)"), max_length=10, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group__position", "code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")


class Enrolment(models.Model):
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("trainee"),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("programme")
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+", verbose_name=_("stage"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("home institution")
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="supervised_enrolments", verbose_name=_("supervisors")
    )
    started_on = models.DateField(_("started on"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.trainee} – {self.programme}"


class Urgency(models.TextChoices):
    ELECTIVE = "elective", _("Elective")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class AgeBand(models.TextChoices):
    INFANT = "0-1", _("Under 1 year")
    CHILD = "1-15", _("1–15 years")
    YOUNG = "16-39", _("16–39 years")
    MIDDLE = "40-64", _("40–64 years")
    OLDER = "65+", _("65 years or more")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for validation")
    QUERIED = "queried", _("Queried by the supervisor")
    CONFIRMED = "confirmed", _("Validated")
    # Operated abroad: validated by the host supervisor, counted once the home programme recognises it.
    ABROAD = "abroad", _("Validated abroad, waiting for recognition")
    REJECTED = "rejected", _("Rejected")


class LogbookEntry(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="entries", verbose_name=_("enrolment")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("trainee")
    )
    performed_on = models.DateField(_("date of the operation"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    age_band = models.CharField(_("patient's age"), max_length=6, choices=AgeBand.choices)
    sex = models.CharField(_("patient's sex"), max_length=6, choices=Sex.choices)
    diagnosis = models.CharField(_("diagnosis"), max_length=200)
    procedures = models.ManyToManyField(Procedure, related_name="entries", verbose_name=_("procedures"))
    supervision = models.CharField(
        _("your part (supervision code)"), max_length=4, choices=Supervision.choices
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervised_entries",
        verbose_name=_("supervising surgeon"),
    )
    return_to_theatre = models.BooleanField(_("return to theatre"), default=False)
    infection = models.BooleanField(_("infection"), default=False)
    death = models.BooleanField(_("death"), default=False)
    complications = models.TextField(_("other complications"), blank=True)
    reflection = models.TextField(_("reflection"), blank=True)
    case_code = models.CharField(_("consultation case code"), max_length=20, blank=True)
    # Made by the trainee's phone when the form opens: the same entry sent again (offline, then
    # when the link returns; a double tap) is recognised and kept once.
    client_key = models.UUIDField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    # Kept for the indicators ("validated within 14 days"): from logging to the supervisor's decision.
    time_to_validation = models.DurationField(_("time to validation"), null=True, blank=True)
    # At a hospital in another country than the home institution's: the host supervisor validates,
    # then a coordinator of the home programme recognises it (only then does it count).
    abroad = models.BooleanField(_("operated abroad"), default=False, editable=False)
    # Raised by each correction: a decision names the revision the supervisor read, and one read
    # before the trainee changed the entry is refused (training.actions.validate_entry).
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    recognised_at = models.DateTimeField(_("recognised at"), null=True, blank=True)
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recognised by"),
    )

    class Meta:
        ordering = ["-performed_on", "-id"]
        indexes = [
            models.Index(fields=["trainee", "-performed_on"], name="training_entry_trainee"),
            models.Index(fields=["supervisor", "status"], name="training_entry_queue"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "client_key"], name="training_entry_client_key")
        ]
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")

    def __str__(self) -> str:
        return f"#{self.pk} {self.performed_on} {self.supervision}"

    @property
    def is_validated(self) -> bool:
        return self.status == EntryStatus.CONFIRMED

    @property
    def validated_within_14_days(self) -> bool:
        return self.time_to_validation is not None and self.time_to_validation <= timedelta(days=14)


class EntryComment(models.Model):
    """The supervisor's query, rejection reason or the trainee's answer, in order."""

    entry = models.ForeignKey(LogbookEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"#{self.entry_id} {self.created_at:%Y-%m-%d}"


class EntryRevision(models.Model):
    """What an entry said before the trainee corrected it (after a query, or before validation):
    the supervisor sees what changed, and nothing said earlier is lost."""

    entry = models.ForeignKey(LogbookEntry, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Field name → the value before the change, as shown (codes and names, never a patient's).
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("correction of an entry")
        verbose_name_plural = _("corrections of entries")

    def __str__(self) -> str:
        return f"#{self.entry_id} {self.created_at:%Y-%m-%d}"

    def changes(self) -> list[tuple[str, str, str]]:
        """(field's label, before, after) in the reader's language, in the form's order."""
        shown = []
        for name in REVISED_FIELDS:
            if name not in self.before:
                continue
            field = LogbookEntry._meta.get_field(name)
            choices = dict(getattr(field, "choices", None) or ())
            shown.append(
                (
                    # Read by the supervisor too: not "your part".
                    str(_("supervision code"))
                    if name == "supervision"
                    else str(getattr(field, "verbose_name", name)),
                    _shown(self.before[name], choices),
                    _shown(self.after.get(name, ""), choices),
                )
            )
        return shown


# What a trainee may correct, in the order the form shows it.
REVISED_FIELDS = (
    "performed_on",
    "institution",
    "urgency",
    "age_band",
    "sex",
    "diagnosis",
    "procedures",
    "supervision",
    "supervisor",
    "return_to_theatre",
    "infection",
    "death",
    "complications",
    "reflection",
    "case_code",
)


def _shown(value: object, choices: dict[object, object]) -> str:
    if isinstance(value, list):  # procedure codes: named in the reader's language
        named = {p.code: p.name for p in Procedure.objects.filter(code__in=value)}
        return "; ".join(named.get(str(code), str(code)) for code in value) or "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if value in choices:
        return str(choices[value])
    return str(value) if value not in ("", None) else "—"
