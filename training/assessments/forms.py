"""The assessment forms: parse what was typed; the rules live in training.assessments.actions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, User
from core.forms import DateField  # filled in the format the browser's date input reads
from training.assessments.actions import ASSESSOR_ROLES
from training.assessments.models import Entrustment, Kind
from training.forms import NamedOne, PersonChoice
from training.models import Competency, Enrolment, Procedure, Programme


class RequestForm(forms.Form):
    enrolment = forms.ModelChoiceField(Enrolment.objects.none(), label=_("Programme"))
    kind = forms.ChoiceField(label=_("Kind of assessment"), choices=Kind.choices, widget=forms.RadioSelect)
    observed_on = DateField(label=_("Date observed"))
    institution = forms.ModelChoiceField(Institution.objects.filter(is_active=True), label=_("Hospital"))
    assessor = PersonChoice(User.objects.none(), label=_("Assessor"))
    procedure = NamedOne(Procedure.objects.none(), label=_("Procedure (optional)"), required=False)
    competency = NamedOne(
        Competency.objects.none(), label=_("Competency (for an EPA observation)"), required=False
    )
    summary = forms.CharField(
        label=_("What was observed (optional)"),
        required=False,
        max_length=200,
        help_text=_("A few words for the assessor, such as the diagnosis. No names, numbers or dates."),
    )

    def __init__(self, trainee: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enrolments = Enrolment.objects.filter(trainee=trainee, is_active=True).select_related("programme")
        cast(forms.ModelChoiceField, self.fields["enrolment"]).queryset = enrolments
        self.fields["enrolment"].label_from_instance = lambda e: e.programme.name  # type: ignore[attr-defined]
        # Named supervisors and the surgeons of any hospital; the action checks the one chosen.
        cast(forms.ModelChoiceField, self.fields["assessor"]).queryset = (
            User.objects.filter(
                Q(supervised_enrolments__in=enrolments)
                | Q(memberships__role__in=ASSESSOR_ROLES, memberships__institution__is_active=True),
                is_active=True,
            )
            .exclude(pk=trainee.pk)
            .distinct()
            .order_by("full_name")
        )
        cast(forms.ModelChoiceField, self.fields["procedure"]).queryset = Procedure.objects.filter(
            is_active=True
        )
        cast(forms.ModelChoiceField, self.fields["competency"]).queryset = Competency.objects.filter(
            programme__enrolments__in=enrolments
        ).distinct()
        if len(enrolments) == 1:
            self.fields["enrolment"].initial = enrolments[0].pk
            self.fields["enrolment"].widget = forms.HiddenInput()


class CompleteForm(forms.Form):
    """Made for two minutes on a phone: a rating, a narrative, and two optional boxes folded away."""

    rating = forms.TypedChoiceField(
        label=_("Entrustment rating"), choices=Entrustment.choices, coerce=int, widget=forms.RadioSelect
    )
    narrative = forms.CharField(
        label=_("What you observed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("No patient names, numbers or dates."),
    )
    went_well = forms.CharField(
        label=_("What went well"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    to_develop = forms.CharField(
        label=_("What to develop"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The trainee reads this and can ask someone else."),
    )


class ProgrammeFilter(forms.Form):
    programme = NamedOne(Programme.objects.none(), label=_("Programme"), required=False)

    def __init__(self, programmes: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["programme"]).queryset = programmes
        self.fields["programme"].empty_label = _("All your programmes")  # type: ignore[attr-defined]
