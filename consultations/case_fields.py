"""The clinical fields of a consultation, declared once, in the order the referral asks for them.

Everything that lists the case's clinical record reads this declaration: the referral form (its
fields and its sections), the actions (what a draft takes and which narratives are checked for
identifiers), the API's input schema and, later, the registry when it prefills its records from
a consultation. What a field holds — its type, choices, length and range — is the model field of
the same name on `consultations.models.Case`; nothing here re-types it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from consultations.models import Case, PatientIdentity

# Which categories ask for a section: "" for every case, otherwise the DiagnosisCategory flag
# (`asks_injury_details`, `asks_shunt_history`) the form's script reads from the chosen category.
AskedFor = Literal["", "injury", "shunt"]
AnyField = models.Field[Any, Any]


@dataclass(frozen=True)
class Section:
    title: Promise
    fields: tuple[str, ...]
    asked_for: AskedFor = ""


CATEGORY = "category"  # the working diagnosis: a DiagnosisCategory, chosen with the clinical fields

SECTIONS: tuple[Section, ...] = (
    Section(
        _("The patient"),
        (CATEGORY, "urgency", "age_value", "age_unit", "sex", "presenting_complaint", "history"),
    ),
    Section(_("The injury"), ("mechanism", "injury_at"), "injury"),
    Section(
        _("Examination"),
        (
            "gcs_eye",
            "gcs_verbal",
            "gcs_motor",
            "gcs_falling",
            "pupil_left_mm",
            "pupil_left_reaction",
            "pupil_right_mm",
            "pupil_right_reaction",
            "systolic_bp",
            "diastolic_bp",
            "heart_rate",
            "respiratory_rate",
            "oxygen_saturation",
            "temperature",
            "focal_deficits",
            "seizures",
        ),
    ),
    Section(_("Background"), ("comorbidities", "medication", "anticoagulant", "antiplatelet")),
    Section(_("Imaging"), ("ct_findings", "intracranial_bleed")),
    Section(_("Shunt"), ("shunt_history", "shunt_details"), "shunt"),
    Section(_("Your question"), ("question",)),
)

# The form's fields, in order: the category and every clinical field.
FORM_FIELDS: tuple[str, ...] = tuple(name for section in SECTIONS for name in section.fields)

# The clinical record a draft takes (the category is chosen apart: it also sets the specialty).
CLINICAL_FIELDS: tuple[str, ...] = tuple(name for name in FORM_FIELDS if name != CATEGORY)

# The patient's identity, kept apart from the clinical record (`PatientIdentity`).
IDENTITY_FIELDS: tuple[str, ...] = ("full_name", "hospital_number", "phone", "date_of_birth", "admitted_on")


def model_field(name: str) -> AnyField:
    """The model field that says what a clinical field holds."""
    return Case._meta.get_field(name)  # type: ignore[return-value]


def identity_field(name: str) -> AnyField:
    return PatientIdentity._meta.get_field(name)  # type: ignore[return-value]


def is_free_text(field: AnyField) -> bool:
    """Typed text without fixed choices: where a patient's name or number can be written."""
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def is_number(field: AnyField) -> bool:
    return isinstance(field, models.IntegerField | models.DecimalField)


# Narratives checked for the patient's identifiers before the case leaves, in the form's order.
FREE_TEXT_FIELDS: tuple[str, ...] = tuple(name for name in CLINICAL_FIELDS if is_free_text(model_field(name)))
