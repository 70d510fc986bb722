from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from training.certificates.access import enrolments_to_certify
from training.certificates.actions import (
    REASON_LENGTH,
    milestone_problem,
    milestones_to_issue,
    valid_milestone_certificate,
)
from training.models import Enrolment, Stage


class EnrolmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        return f"{obj.trainee.full_name} · {obj.programme.name} ({obj.stage.name})"


PROGRAMME = "programme"  # the milestone of the whole programme, beside the stages' ids


class TraineeChooser(forms.Form):
    """Chosen first, in a GET form of its own: whose milestones the form below offers."""

    enrolment = EnrolmentChoice(queryset=Enrolment.objects.none(), label=_("Trainee and programme"))
    prefix = "for"

    def __init__(self, coordinator: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments_to_certify(coordinator)  # type: ignore[attr-defined]

    def chosen(self) -> Enrolment | None:
        return self.cleaned_data["enrolment"] if self.is_bound and self.is_valid() else None


class MilestoneChoice(forms.ChoiceField):
    """Offers the milestones ready to certify (actions.milestones_to_issue) and accepts any of
    the programme's: one no longer ready when sent (a page left open, a second coordinator) is
    refused by issue_milestone with its own reason."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accepted: set[str] = set()

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.accepted


class MilestoneForm(forms.Form):
    enrolment = EnrolmentChoice(
        queryset=Enrolment.objects.none(), label=_("Trainee and programme"), widget=forms.HiddenInput
    )
    stage = MilestoneChoice(
        label=_("Milestone"),
        widget=forms.RadioSelect,
        help_text=_(
            "A stage is completed once the trainee has moved on to a later stage; the programme once every requirement is met."
        ),
    )

    def __init__(self, coordinator: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enrolment"]
        field.queryset = enrolments_to_certify(coordinator)  # type: ignore[attr-defined]
        value = (
            self.data.get(self.add_prefix("enrolment")) if self.is_bound else self.initial.get("enrolment")
        )
        try:
            self.chosen: Enrolment | None = field.clean(value)
        except ValidationError:
            self.chosen = None
        self.offered: list[Stage | None] = []
        if self.chosen is not None:
            self.offered = milestones_to_issue(self.chosen)
            stages = Stage.objects.filter(programme_id=self.chosen.programme_id)
            stage = cast(MilestoneChoice, self.fields["stage"])
            stage.accepted = {str(pk) for pk in stages.values_list("pk", flat=True)} | {PROGRAMME}
            stage.choices = [
                (PROGRAMME, _("The whole programme")) if m is None else (str(m.pk), m.name)
                for m in self.offered
            ]

    def clean_stage(self) -> Stage | None:
        value = self.cleaned_data["stage"]
        return None if value == PROGRAMME else Stage.objects.get(pk=int(value))

    def programme_not_ready(self) -> str | None:
        """Why the whole programme is not offered, unless it is certified already."""
        if self.chosen is None or None in self.offered or valid_milestone_certificate(self.chosen, None):
            return None
        return milestone_problem(self.chosen, None)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it revoked?"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept with the certificate and shown to its holder; the public page only says it is revoked."
        ),
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"), max_length=40, help_text=_("For example NDC-7K3Q-X9MA-4RTE.")
    )
