"""The assessment forms: parse what was typed; the rules live in training.assessments.actions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, User
from core.forms import DateField  # filled in the format the browser's date input reads
from training.assessments.actions import NOT_AN_ASSESSOR, possible_assessors
from training.assessments.models import Entrustment, Kind
from training.forms import NamedOne, PersonChoice
from training.models import Competency, Enrolment, Procedure, Programme


def _enrolments(trainee: User) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(trainee=trainee, is_active=True).select_related(
        "programme", "institution"
    )


def _programme_names(field: forms.Field) -> None:
    field.label_from_instance = lambda e: e.programme.name  # type: ignore[attr-defined]


class WhereForm(forms.Form):
    """Chosen first, in a form of its own: which programme and where the work was observed. The
    request form then offers the assessors the request accepts there, and no one else."""

    enrolment = forms.ModelChoiceField(Enrolment.objects.none(), label=_("Programme"))
    institution = forms.ModelChoiceField(
        Institution.objects.filter(is_active=True),
        label=_("Hospital"),
        help_text=_("The assessors offered are your supervisors and the surgeons of this hospital."),
    )
    prefix = "where"

    def __init__(self, trainee: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enrolments = _enrolments(trainee)
        cast(forms.ModelChoiceField, self.fields["enrolment"]).queryset = enrolments
        _programme_names(self.fields["enrolment"])
        first = enrolments.first()
        if first is not None:
            self.fields["enrolment"].initial = first.pk
            self.fields["institution"].initial = first.institution_id
        if len(enrolments) == 1:
            self.fields["enrolment"].widget = forms.HiddenInput()

    def chosen(self) -> dict[str, int | None]:
        """The choice as the request form's initial values: the trainee's, or their home programme
        and hospital while nothing valid is chosen."""
        if self.is_bound and self.is_valid():
            return {name: self.cleaned_data[name].pk for name in ("enrolment", "institution")}
        return {name: self.fields[name].initial for name in ("enrolment", "institution")}


class RequestForm(forms.Form):
    """The programme and the hospital come from WhereForm (hidden here); the assessors offered are
    training.assessments.actions.possible_assessors for them, the rule the request applies."""

    enrolment = forms.ModelChoiceField(
        Enrolment.objects.none(), label=_("Programme"), widget=forms.HiddenInput
    )
    institution = forms.ModelChoiceField(
        Institution.objects.filter(is_active=True), label=_("Hospital"), widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(label=_("Kind of assessment"), choices=Kind.choices, widget=forms.RadioSelect)
    observed_on = DateField(label=_("Date observed"))
    assessor = PersonChoice(
        User.objects.none(), label=_("Assessor"), error_messages={"invalid_choice": NOT_AN_ASSESSOR}
    )
    procedure = NamedOne(Procedure.objects.none(), label=_("Procedure (optional)"), required=False)
    summary = forms.CharField(
        label=_("What was observed (optional)"),
        required=False,
        max_length=200,
        help_text=_("A few words for the assessor, such as the diagnosis. No names, numbers or dates."),
    )

    def __init__(self, trainee: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["enrolment"]).queryset = _enrolments(trainee)
        enrolment = self._chosen("enrolment")
        self.institution_chosen = self._chosen("institution")
        assessors = cast(forms.ModelChoiceField, self.fields["assessor"])
        # An EPA observation is one of the programme's competencies: each is a kind of its own, so
        # no competency goes with another kind, and no EPA is offered where the programme has none.
        self.competencies: dict[str, Competency] = {}
        if enrolment is not None:
            assessors.queryset = possible_assessors(enrolment, self.institution_chosen).order_by("full_name")
            self.competencies = {
                f"{Kind.EPA}:{c.pk}": c
                for c in Competency.objects.filter(programme_id=enrolment.programme_id)
            }
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            *((value, label) for value, label in Kind.choices if value != Kind.EPA),
            *(
                (value, _("EPA observation: %(competency)s") % {"competency": c.name})
                for value, c in self.competencies.items()
            ),
        ]
        cast(forms.ModelChoiceField, self.fields["procedure"]).queryset = Procedure.objects.filter(
            is_active=True
        )

    def request_fields(self) -> dict[str, Any]:
        """The cleaned form as training.assessments.actions.RequestData's fields."""
        fields = dict(self.cleaned_data)
        competency = self.competencies.get(fields["kind"])
        fields["kind"], fields["competency"] = (
            (Kind.EPA, competency) if competency else (fields["kind"], None)
        )
        return fields

    def _chosen(self, name: str) -> Any:
        """The programme or hospital this form is for: as sent, or as it opened; None if not valid."""
        field = cast(forms.ModelChoiceField, self.fields[name])
        value = (
            self.data.get(self.add_prefix(name)) if self.is_bound else self.get_initial_for_field(field, name)
        )
        try:
            return field.clean(value)
        except ValidationError:
            return None


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
