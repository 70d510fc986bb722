"""The red flags' names as the pages, the letter and the audit trail show them."""

from django.utils.translation import gettext_lazy

from consultations.triage import RedFlag

RED_FLAG_LABELS = {
    RedFlag.LOW_GCS: gettext_lazy("GCS 8 or less"),
    RedFlag.FALLING_GCS: gettext_lazy("GCS falling"),
    RedFlag.NON_REACTIVE_PUPIL: gettext_lazy("A pupil does not react"),
    RedFlag.UNEQUAL_PUPILS: gettext_lazy("Unequal pupils (1 mm or more apart, or one sluggish)"),
    RedFlag.CUSHING_PATTERN: gettext_lazy("High blood pressure with a slow pulse (Cushing pattern)"),
    RedFlag.ANTICOAGULATED_BLEED: gettext_lazy("Anticoagulant or antiplatelet with a bleed"),
}
