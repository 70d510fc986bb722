"""The structured CT and laboratory findings of a case, as a form: the findings page's and the
referral's (scores.plugins), labelled as the calculators are."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from scores.case_scores import FINDINGS_FIELDS
from scores.forms import choices_for
from scores.models import CaseFindings, YesOrSuspected

CHOICES_FROM_CALCULATORS = {
    "sah_thickness": ("modified_fisher", "sah"),
    "hunt_hess_grade": ("hunt_hess", "grade"),
    "asia_grade": ("asia", "grade"),
    "karnofsky": ("karnofsky", "score"),
}
UNKNOWN_IS_BLANK = ("hypoxia", "hypotension", "motor_deficit")


class FindingsForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        for name, field in self.fields.items():
            if not isinstance(field, forms.ChoiceField):
                continue
            if name in UNKNOWN_IS_BLANK:
                # Said in words, because blank here means "not known", not "no".
                field.choices = [("", _("Not known")), *YesOrSuspected.choices]
            elif name in CHOICES_FROM_CALCULATORS:
                # Labelled as on the calculator pages, from the scores content.
                labelled = choices_for(*CHOICES_FROM_CALCULATORS[name], language)
                field.choices = [("", _("Not assessed")), *labelled]

    class Meta:
        model = CaseFindings
        fields = FINDINGS_FIELDS
        widgets = {
            "midline_shift_mm": forms.TextInput(attrs={"inputmode": "decimal"}),
            "haematoma_volume_ml": forms.TextInput(attrs={"inputmode": "decimal"}),
            "glucose": forms.TextInput(attrs={"inputmode": "decimal"}),
            "haemoglobin": forms.TextInput(attrs={"inputmode": "decimal"}),
        }
