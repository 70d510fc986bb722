"""Scores stored with a consultation: the inputs, the result and the formula version."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.models import Case
from scores.library import CALCULATORS


def _values(calculator: str, field: str) -> list[tuple[str, str]]:
    spec = next(f for f in CALCULATORS[calculator].fields if f.name == field)
    return [(value, value) for value in spec.choices]


class Cisterns(models.TextChoices):
    NORMAL = "normal", _("Normal")
    COMPRESSED = "compressed", _("Compressed")
    ABSENT = "absent", _("Absent")


class Suprasellar(models.TextChoices):
    NORMAL = "normal", _("Normal")
    COMPRESSED = "compressed", _("Compressed")
    OBLITERATED = "obliterated", _("Obliterated")


class YesOrSuspected(models.TextChoices):
    YES = "yes", _("Yes or suspected")
    NO = "no", _("No")


class Etiology(models.TextChoices):
    POSTINFECTIOUS = "postinfectious", _("Post-infectious")
    MYELOMENINGOCELE = "myelomeningocele", _("Myelomeningocele")
    IVH = "intraventricular_haemorrhage", _("Intraventricular haemorrhage")
    NON_TECTAL_TUMOUR = "non_tectal_tumour", _("Brain tumour (not tectal)")
    AQUEDUCTAL_STENOSIS = "aqueductal_stenosis", _("Aqueductal stenosis")
    TECTAL_TUMOUR = "tectal_tumour", _("Tectal tumour")
    OTHER = "other", _("Other")


class CaseFindings(models.Model):
    """Structured CT and laboratory findings for a case, entered by the referrer or a consultant,
    from which the CT classes and the extended prognostic models are computed."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="findings")
    visible_pathology = models.BooleanField(_("any visible pathology on CT"), default=False)
    basal_cisterns = models.CharField(
        _("basal cisterns"), max_length=12, choices=Cisterns.choices, blank=True
    )
    suprasellar_cisterns = models.CharField(
        _("suprasellar cisterns"), max_length=12, choices=Suprasellar.choices, blank=True
    )
    midline_shift_mm = models.DecimalField(
        _("midline shift (mm)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    epidural = models.BooleanField(_("epidural haematoma"), default=False)
    subdural = models.BooleanField(_("subdural haematoma"), default=False)
    intracerebral = models.BooleanField(_("intracerebral haematoma"), default=False)
    lesion_over_25ml = models.BooleanField(_("high or mixed density lesion over 25 mL"), default=False)
    evacuated_lesion = models.BooleanField(_("a lesion was surgically evacuated"), default=False)
    traumatic_sah = models.BooleanField(_("traumatic subarachnoid haemorrhage"), default=False)
    intraventricular = models.BooleanField(_("intraventricular haemorrhage"), default=False)
    haematoma_volume_ml = models.DecimalField(
        _("haematoma volume (mL)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(300)],
    )
    infratentorial = models.BooleanField(_("infratentorial haemorrhage"), default=False)
    # Blank means not known: the extended IMPACT models are computed only when both are answered,
    # because reading "not recorded" as "no" would understate the risk.
    hypoxia = models.CharField(
        _("hypoxia before admission"), max_length=3, choices=YesOrSuspected.choices, blank=True
    )
    hypotension = models.CharField(
        _("hypotension before admission"), max_length=3, choices=YesOrSuspected.choices, blank=True
    )
    glucose = models.DecimalField(
        _("glucose (mmol/L)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    haemoglobin = models.DecimalField(
        _("haemoglobin (g/dL)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(25)],
    )
    hydrocephalus_cause = models.CharField(
        _("cause of hydrocephalus"), max_length=30, choices=Etiology.choices, blank=True
    )
    # Subarachnoid haemorrhage (modified Fisher, with intraventricular above; WFNS; Hunt and Hess),
    # spinal cord injury and performance status. The choices are the calculators' own values;
    # the findings form labels them from the scores content, in the user's language.
    sah_thickness = models.CharField(
        _("subarachnoid blood on CT"), max_length=5, choices=_values("modified_fisher", "sah"), blank=True
    )
    motor_deficit = models.CharField(
        _("major motor deficit"), max_length=3, choices=YesOrSuspected.choices, blank=True
    )
    hunt_hess_grade = models.CharField(
        _("Hunt and Hess grade"), max_length=1, choices=_values("hunt_hess", "grade"), blank=True
    )
    asia_grade = models.CharField(
        _("ASIA impairment grade"), max_length=4, choices=_values("asia", "grade"), blank=True
    )
    karnofsky = models.PositiveSmallIntegerField(
        _("Karnofsky performance status"),
        null=True,
        blank=True,
        choices=[(score, str(score)) for score in range(100, -1, -10)],
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("CT and laboratory findings")
        verbose_name_plural = _("CT and laboratory findings")

    def __str__(self) -> str:
        return f"findings of {self.case.code}"


class CaseScore(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="scores")
    calculator = models.CharField(max_length=40)
    version = models.CharField(max_length=60)
    inputs = models.JSONField()
    result = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "calculator"], name="one_score_per_calculator")
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.calculator}"
