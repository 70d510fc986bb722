from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from training.access import coordinated
from training.certificates.access import enrolments_to_certify
from training.certificates.actions import REASON_LENGTH
from training.models import Enrolment, Stage


class EnrolmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        return f"{obj.trainee.full_name} · {obj.programme.name} ({obj.stage.name})"


class StageChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.programme.name}: {obj.name}"


class MilestoneForm(forms.Form):
    enrolment = EnrolmentChoice(queryset=Enrolment.objects.none(), label=_("Trainee and programme"))
    stage = StageChoice(
        queryset=Stage.objects.none(),
        required=False,
        label=_("Milestone"),
        empty_label=_("The whole programme"),
        help_text=_(
            "A stage is completed once the trainee has moved on to a later stage; the programme once every requirement is met."
        ),
    )

    def __init__(self, coordinator: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments_to_certify(coordinator)  # type: ignore[attr-defined]
        self.fields["stage"].queryset = Stage.objects.filter(  # type: ignore[attr-defined]
            programme__institution_id__in=coordinated(coordinator)
        ).select_related("programme")


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
