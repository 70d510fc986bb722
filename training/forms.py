"""The logbook's forms: parse what was typed; the rules live in training.actions."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.db.models import F, Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, Role, User
from core.forms import DateField  # filled in the format the browser's date input reads
from training.actions import TEXT_LIMIT, too_long
from training.codes import ORDER, Supervision
from training.models import (
    AgeBand,
    Competency,
    Enrolment,
    Procedure,
    ProcedureGroup,
    Programme,
    Sex,
    Stage,
    Urgency,
)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class NamedOne(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class NamedChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def procedures_for(trainee: User) -> QuerySet[Procedure]:
    """The master list, the procedures this trainee logged most recently first (a phone between
    operations: the usual ones are at the top)."""
    return (
        Procedure.objects.filter(is_active=True)
        .annotate(last_used=Max("entries__performed_on", filter=Q(entries__trainee=trainee)))
        .order_by(F("last_used").desc(nulls_last=True), "group__position", "code")
    )


class LongText(forms.CharField):
    """A free-text box with a limit told, not enforced by the browser: a textarea's maxlength
    cuts what is pasted without a word, so a longer text is refused with its length and kept."""

    def __init__(self, *, limit: int = TEXT_LIMIT, rows: int = 3, **kwargs: Any) -> None:
        super().__init__(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)
        self.limit = limit

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and len(value) > self.limit:
            raise forms.ValidationError(too_long(self.limit, len(value)), code="max_length")


# Nothing is chosen for the trainee: a band or a sex left as the first option would be saved unseen.
CHOOSE = _("Choose one")


class EntryForm(forms.Form):
    enrolment = forms.ModelChoiceField(Enrolment.objects.none(), label=_("Programme"))
    performed_on = DateField(label=_("Date of the operation"))
    institution = forms.ModelChoiceField(
        Institution.objects.filter(is_active=True, kind=Institution.Kind.HOSPITAL),
        label=_("Hospital"),
        empty_label=CHOOSE,
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[("", CHOOSE), *Urgency.choices])
    age_band = forms.ChoiceField(label=_("Patient's age"), choices=[("", CHOOSE), *AgeBand.choices])
    sex = forms.ChoiceField(label=_("Patient's sex"), choices=[("", CHOOSE), *Sex.choices])
    diagnosis = forms.CharField(label=_("Diagnosis"), max_length=200)
    procedures = NamedChoice(
        Procedure.objects.none(), label=_("Procedures"), widget=forms.CheckboxSelectMultiple
    )
    supervision = forms.ChoiceField(label=_("Your part"), choices=[("", CHOOSE), *Supervision.choices])
    supervisor = PersonChoice(User.objects.none(), label=_("Supervising surgeon"), empty_label=CHOOSE)
    return_to_theatre = forms.BooleanField(label=_("Return to theatre"), required=False)
    infection = forms.BooleanField(label=_("Infection"), required=False)
    death = forms.BooleanField(label=_("Death"), required=False)
    complications = LongText(label=_("Other complications"), required=False, rows=2)
    reflection = LongText(
        label=_("Reflection"),
        required=False,
        help_text=_("What went well, what you would do differently. No names, numbers or dates."),
    )
    case_code = forms.CharField(label=_("Consultation case code (optional)"), required=False, max_length=20)
    # Made when the form opens; kept with the entry on the phone while offline, so the entry sent
    # twice is recorded once (training.actions.log_entry).
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, trainee: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4())
        enrolments = Enrolment.objects.filter(trainee=trainee, is_active=True).select_related(
            "programme", "stage"
        )
        cast(forms.ModelChoiceField, self.fields["enrolment"]).queryset = enrolments
        self.fields["enrolment"].label_from_instance = lambda e: e.programme.name  # type: ignore[attr-defined]
        cast(forms.ModelChoiceField, self.fields["procedures"]).queryset = procedures_for(trainee)
        # A named supervisor of the trainee's programmes, or abroad the host hospital's supervisor
        # or consultant; the action checks the one chosen against the hospital.
        cast(forms.ModelChoiceField, self.fields["supervisor"]).queryset = (
            User.objects.filter(
                Q(supervised_enrolments__in=enrolments)
                | Q(memberships__role__in=[Role.SUPERVISOR, Role.CONSULTANT], is_active=True)
            )
            .exclude(pk=trainee.pk)
            .distinct()
            .order_by("full_name")
        )
        if len(enrolments) == 1:
            self.fields["enrolment"].initial = enrolments[0].pk
            self.fields["enrolment"].widget = forms.HiddenInput()
        # Only the codes the trainee's stage allows (the action refuses the others).
        allowed = {code for e in enrolments for code in e.stage.allowed_codes}
        supervision = cast(forms.ChoiceField, self.fields["supervision"])
        supervision.choices = [
            ("", CHOOSE),
            *[(code, label) for code, label in Supervision.choices if code in allowed],
        ]
        # An entry kept on the phone since before a change of stage is told why, not "invalid".
        supervision.error_messages["invalid_choice"] = str(
            _("Your stage does not allow the code %(value)s; it allows %(allowed)s.")
        ).replace("%(allowed)s", ", ".join(code for code in ORDER if code in allowed))


class CorrectionForm(EntryForm):
    """The trainee's own entry, to correct before validation or after a supervisor's query."""

    note = LongText(
        label=_("What you corrected (optional)"),
        required=False,
        rows=2,
        help_text=_("Your supervisor sees the fields you changed and this note."),
    )

    def __init__(self, trainee: User, entry_enrolment: Enrolment, *args: Any, **kwargs: Any) -> None:
        super().__init__(trainee, *args, **kwargs)
        del self.fields["client_key"]
        self.fields["enrolment"].widget = forms.HiddenInput()
        self.fields["enrolment"].initial = entry_enrolment.pk


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm")), ("query", _("Ask a question")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = LongText(label=_("Comment"), required=False)
    # The entry's revision as read: a decision on an entry corrected since is refused.
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    comment = LongText(label=_("Your answer"))


class EnrolForm(forms.Form):
    trainee = PersonChoice(User.objects.none(), label=_("Trainee"))
    programme = forms.ModelChoiceField(Programme.objects.filter(is_active=True), label=_("Programme"))
    stage = forms.ModelChoiceField(Stage.objects.select_related("programme"), label=_("Stage"))
    institution = forms.ModelChoiceField(Institution.objects.none(), label=_("Home institution"))
    supervisors = PeopleChoice(
        User.objects.none(), label=_("Supervisors"), widget=forms.CheckboxSelectMultiple
    )
    started_on = DateField(label=_("Started on"))

    def __init__(self, coordinator: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = coordinator.institutions_with_role(Role.COORDINATOR)
        ids = [place.pk for place in places]
        cast(forms.ModelChoiceField, self.fields["institution"]).queryset = Institution.objects.filter(
            pk__in=ids
        )
        cast(forms.ModelChoiceField, self.fields["trainee"]).queryset = User.objects.filter(
            memberships__institution_id__in=ids, memberships__role=Role.TRAINEE
        ).distinct()
        cast(forms.ModelChoiceField, self.fields["supervisors"]).queryset = User.objects.filter(
            memberships__institution_id__in=ids,
            memberships__role__in=[Role.SUPERVISOR, Role.CONSULTANT],
        ).distinct()
        self.fields["stage"].label_from_instance = lambda s: f"{s.programme.name} – {s.name}"  # type: ignore[attr-defined]


def ids_from(values: list[str]) -> list[int] | None:
    """Entry ids ticked in the queue; None when one is not a number (a forged form)."""
    try:
        return [int(value) for value in values]
    except ValueError:
        return None


class RequirementForm(forms.Form):
    group = NamedOne(ProcedureGroup.objects.all(), label=_("Procedure group"))
    level = forms.ChoiceField(label=_("At this level or more independent"), choices=Supervision.choices)
    minimum = forms.IntegerField(
        label=_("Minimum number"), min_value=0, max_value=5000, help_text=_("0 removes the requirement.")
    )


NAMES = ("name_en", "name_sw", "name_zh_hans")
# Django's own ("Procedure group with this Code already exists") reads badly once translated.
DUPLICATE_CODE = {"code": {"unique": _("This code is already used: choose another one.")}}


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ("code", *NAMES, "institution", "is_active")
        error_messages = DUPLICATE_CODE

    def __init__(self, coordinator: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [place.pk for place in coordinator.institutions_with_role(Role.COORDINATOR)]
        cast(forms.ModelChoiceField, self.fields["institution"]).queryset = Institution.objects.filter(
            pk__in=ids
        )


class StageForm(forms.ModelForm):
    allowed_codes = forms.MultipleChoiceField(
        label=_("Supervision codes allowed"), choices=Supervision.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Stage
        fields = (*NAMES, "position", "allowed_codes")


class GroupForm(forms.ModelForm):
    class Meta:
        model = ProcedureGroup
        fields = ("code", *NAMES, "position")
        error_messages = DUPLICATE_CODE


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = ("code", *NAMES, "stage", "level_expected")

    def __init__(self, programme: Programme, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["stage"]).queryset = programme.stages.all()
        self.fields["stage"].label_from_instance = lambda s: s.name  # type: ignore[attr-defined]
