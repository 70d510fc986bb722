"""The sessions' forms: parse what was typed; the rules live in training.sessions.actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, Role, User
from consultations.forms import prompt_required_choices
from core.forms import DateTimeField
from training.forms import LongText
from training.sessions.actions import COMMENT_LIMIT
from training.sessions.models import Cadre, Kind, PracticeChange

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]
# Who is offered as a trainer: the clinicians and teachers, not every person with an account.
TRAINER_ROLES = (Role.CONSULTANT, Role.SUPERVISOR, Role.COORDINATOR)


def places_of(person: Any) -> list[str]:
    """'QILU, China': where a trainer works, from memberships prefetched with their institution."""
    return sorted(
        {
            f"{m.institution.short_code}, {m.institution.country.name}"
            for m in person.memberships.all()
            if m.institution.is_active
        }
    )


class TrainerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # A trainer's country is their institution's (a Chinese or a Tanzanian trainer).
        places = places_of(obj)
        return f"{obj.full_name} ({'; '.join(places)})" if places else str(obj.full_name)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the session"), choices=settings.LANGUAGES)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    institution = forms.ModelChoiceField(label=_("Organised by"), queryset=Institution.objects.none())
    starts_at = DateTimeField(label=_("Starts"))
    ends_at = DateTimeField(label=_("Ends"))
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("Starting with https://"),
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000, initial=20)
    audience = forms.MultipleChoiceField(
        label=_("For which cadres"),
        choices=Cadre.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: open to every cadre."),
    )
    trainers = TrainerChoice(
        label=_("Trainers"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000, required=False
    )

    def __init__(self, institutions: list[Institution], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Institution.objects.filter(pk__in=[i.pk for i in institutions])
        trainers = self.fields["trainers"]
        assert isinstance(trainers, forms.ModelMultipleChoiceField)  # noqa: S101
        trainers.queryset = (
            User.objects.filter(
                is_active=True, memberships__institution__is_active=True, memberships__role__in=TRAINER_ROLES
            )
            .distinct()
            .prefetch_related("memberships__institution__country")
            .order_by("full_name")
        )
        prompt_required_choices(self, only_choice=("institution",))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The session must end after it starts."))
        link = data.get("video_link") or ""
        if link and not link.lower().startswith("https://"):
            self.add_error("video_link", _("The video link must start with https://."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (told to those registered)"), max_length=300, required=False)


class RegisterForm(forms.Form):
    cadre = forms.ChoiceField(label=_("Your cadre"), choices=Cadre.choices)

    def __init__(self, *args: Any, audience: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cadre"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        # A prompt first: a cadre left at the first choice would be counted wrongly.
        field.choices = [("", "")] + [
            (value, label) for value, label in Cadre.choices if not audience or value in audience
        ]
        prompt_required_choices(self)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=20,
        help_text=_("Shown by the coordinator during the session."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}
        ),
    )


class FeedbackForm(forms.Form):
    relevance = forms.TypedChoiceField(
        label=_("How relevant was it to your work?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    teaching = forms.TypedChoiceField(
        label=_("How good was the teaching?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    practical = forms.TypedChoiceField(
        label=_("How useful will it be in practice?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    organisation = forms.TypedChoiceField(
        label=_("How well was it organised?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = LongText(label=_("Comment"), limit=COMMENT_LIMIT, required=False)


class FollowUpForm(forms.Form):
    practice_changed = forms.ChoiceField(
        label=_("Has their practice changed since the session?"),
        choices=PracticeChange.choices,
        widget=forms.RadioSelect,
    )
    comment = LongText(
        label=_("What changed, or what stands in the way"), limit=COMMENT_LIMIT, required=False
    )


class WalkInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class WalkInForm(forms.Form):
    """One person found, their cadre, and the search to come back to."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    cadre = forms.ChoiceField(label=_("Their cadre"), choices=[("", "")] + list(Cadre.choices))
    q = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prompt_required_choices(self)
