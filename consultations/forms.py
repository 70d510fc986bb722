from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, Role, User
from consultations.actions.closing import refuse_contradictions
from consultations.actions.drafting import NEEDED_TOGETHER, needed_fields
from consultations.case_fields import (
    CLINICAL_FIELDS,
    FORM_FIELDS,
    IDENTITY_FIELDS,
    SECTIONS,
    is_number,
    model_field,
)
from consultations.models import Case, Consent, Opinion, Outcome, PatientIdentity, Status, Urgency
from core.errors import FieldErrors
from core.forms import DateField, DateTimeField, KeepsStoredTimes, html_formfield
from core.models import Country, DiagnosisCategory
from lib.identifiers import Finding, Identity, Kind, scan


class ClientTokenMixin:
    """A hidden random token: the same form sent twice (a double tap on a slow link) is
    recognised and kept once."""

    def add_client_token(self) -> None:
        form = cast(forms.Form, self)
        form.fields["client_token"] = forms.RegexField(
            regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput
        )
        if not form.is_bound:
            form.initial["client_token"] = uuid.uuid4().hex


# Shown first in a required select instead of Django's "---------", which reads as a value and
# is in no language: the person sees that a choice is asked for, and sending it is refused.
CHOOSE = _("Choose one")


def prompt_required_choices(form: forms.BaseForm, *, only_choice: tuple[str, ...] = ()) -> None:
    """No blank to leave picked where a value is required, and none in a multiple choice.

    A required single select starts with a prompt ("Choose one") rather than "---------"; the
    fields named in `only_choice` (who or where, never a clinical answer) start on their one
    choice when there is just one. A multiple choice never offers a blank: picking it would
    send an empty value beside the real ones."""
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.empty_label = None
        elif isinstance(field, forms.MultipleChoiceField):
            field.choices = [c for c in cast(Any, field.choices) if c[0] not in ("", None)]
        elif not field.required or isinstance(field.widget, forms.RadioSelect):
            continue
        elif isinstance(field, forms.ModelChoiceField):
            if name in only_choice and not form.is_bound and form.initial.get(name) is None:
                first_two = list(cast(Any, field.queryset)[:2])
                if len(first_two) == 1:
                    field.empty_label = None
                    form.initial[name] = first_two[0].pk
                    continue
            field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField):
            choices = cast(Any, field.choices)
            field.choices = [(value, CHOOSE if value == "" else label) for value, label in choices]


# --- Identifiers in text written after sending, said at the field they were typed in ----------
def identifier_findings_in(case: Case, texts: dict[str, str], *, author_in_team: bool) -> list[Finding]:
    """What `actions.refuse_identifiers` finds in these texts, by the same rule: the patient's own
    name, number, phone and dates only for the referring team (matching anyone else's words
    against her name would tell them the name); patterns (phones, dates) for everyone."""
    identity = Identity.of(case.identity) if author_in_team else Identity()
    return scan(texts, identity)


# What was found, said as what it is: her name is removed, a date is written as a day.
_HERS: dict[Kind, Promise] = {
    Kind.NAME: _("The patient's name cannot be sent: %(found)s. Remove it."),
    Kind.HOSPITAL_NUMBER: _("The patient's hospital number cannot be sent: %(found)s. Remove it."),
    Kind.PHONE: _("The patient's phone number cannot be sent: %(found)s. Remove it."),
    Kind.DATE: _(
        "The patient's date of birth or admission date cannot be sent: %(found)s. Write it as a day "
        "instead (for example “day 3”)."
    ),
}
_PATTERNS: dict[Kind, Promise] = {
    Kind.NAME: _(
        "This reads as a person's name, which may identify the patient or the family: %(found)s. Remove it."
    ),
    Kind.PHONE: _("This looks like a phone number, which may identify the patient: %(found)s. Remove it."),
    Kind.NUMBER: _(
        "This looks like an ID card, record or file number, which may identify the patient: %(found)s. "
        "Remove it."
    ),
    Kind.EMAIL: _("An e-mail address may identify the patient or the family: %(found)s. Remove it."),
    Kind.DATE: _(
        "A calendar date may identify the patient: %(found)s. Write it as a day instead (for example "
        "“day 3”)."
    ),
}


def identifier_messages(findings: list[Finding]) -> dict[str, list[str]]:
    """For each field, one message per kind of identifier found in it, quoting what was found."""
    found: dict[str, dict[tuple[Kind, bool], list[str]]] = {}
    for finding in findings:
        texts = found.setdefault(finding.field, {}).setdefault((finding.kind, finding.of_the_patient), [])
        if f"“{finding.text}”" not in texts:
            texts.append(f"“{finding.text}”")
    return {
        field: [
            str(((_HERS if hers else _PATTERNS).get(kind) or _HERS[kind]) % {"found": ", ".join(texts)})
            for (kind, hers), texts in kinds.items()
        ]
        for field, kinds in found.items()
    }


class CategorySelect(forms.Select):
    """Each option says which parts of the form its category asks for (the script shows them)."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        category = getattr(value, "instance", None)
        if category is not None:
            option["attrs"]["data-injury"] = "1" if category.asks_injury_details else "0"
            option["attrs"]["data-shunt"] = "1" if category.asks_shunt_history else "0"
        return option


class CaseForm(ClientTokenMixin, KeepsStoredTimes):
    category = forms.ModelChoiceField(
        label=_("Working diagnosis category"),
        queryset=DiagnosisCategory.objects.filter(specialty__is_active=True).select_related("specialty"),
        widget=CategorySelect,
    )

    class Meta:
        model = Case
        fields = list(FORM_FIELDS)
        formfield_callback = html_formfield  # date and time inputs in the browser's format
        widgets = {
            "history": forms.Textarea(attrs={"rows": 4}),
            "focal_deficits": forms.Textarea(attrs={"rows": 2}),
            "comorbidities": forms.Textarea(attrs={"rows": 2}),
            "medication": forms.Textarea(attrs={"rows": 2}),
            "ct_findings": forms.Textarea(attrs={"rows": 3}),
            "shunt_details": forms.Textarea(attrs={"rows": 2}),
            "question": forms.Textarea(attrs={"rows": 3}),
        }

    SECTIONS = SECTIONS  # consultations.case_fields: the one declaration of the clinical record

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.add_client_token()
        for name in CLINICAL_FIELDS:
            field = model_field(name)
            if is_number(field):  # a phone's number pad
                decimal = isinstance(field, models.DecimalField)
                self.fields[name].widget.attrs["inputmode"] = "decimal" if decimal else "numeric"
        for name in ("pupil_left_mm", "pupil_right_mm"):
            self.fields[name].widget.attrs["step"] = "0.5"  # a pupil gauge reads in half millimetres
            # One message in the reader's language for any size off the gauge (Django's digit
            # counts, "no more than 1 digit before the decimal point", have no Kiswahili).
            off_the_gauge = _("A pupil is 1 to 9 mm, in whole or half millimetres (for example 3 or 3.5).")
            self.fields[name].validators = [
                v for v in self.fields[name].validators if not isinstance(v, DecimalValidator)
            ] + [MinValueValidator(1, message=off_the_gauge), MaxValueValidator(9, message=off_the_gauge)]
        # Each field needed to send is marked where it is typed, not first named after consent.
        for name, _message, asked_for in needed_fields(None):
            for part in NEEDED_TOGETHER.get(name, (name,)):
                self.fields[part].needed_to_send = asked_for or "all"  # type: ignore[attr-defined]
        prompt_required_choices(self)

    # The other apps' parts of the referral (core.plugins.case_form_section) follow this section.
    CONTRIBUTED_AFTER = "ct_findings"

    @property
    def contributed_after(self) -> int:
        """The position (from 1) of the section after which other apps' parts are placed."""
        return next(i for i, s in enumerate(self.SECTIONS, 1) if self.CONTRIBUTED_AFTER in s.fields)

    def sections(self) -> list[tuple[Any, list[forms.BoundField], str]]:
        return [
            (section.title, [self[name] for name in section.fields], section.asked_for)
            for section in self.SECTIONS
        ]


class IdentityForm(KeepsStoredTimes):
    class Meta:
        model = PatientIdentity
        fields = list(IDENTITY_FIELDS)
        formfield_callback = html_formfield
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }


class ConsentForm(forms.ModelForm):
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries where the case may be seen"),
        queryset=Country.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Consultants are chosen only from these countries."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I explained that the case, without the patient's name, will be seen by consultants in these countries."
        ),
    )

    class Meta:
        model = Consent
        fields = ["given_by", "relationship", "method", "countries"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prompt_required_choices(self)


class SendForm(forms.Form):
    """Confirms the possible identifiers the referrer keeps, and optionally raises the urgency."""

    keep = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    raise_to_emergency = forms.BooleanField(required=False, label=_("Send it as an emergency"))

    def __init__(self, *args: Any, keys: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = keys  # type: ignore[attr-defined]
        prompt_required_choices(self)


class OpinionForm(ClientTokenMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_client_token()
        # Required choices as radios with none chosen: no "---------" to pick (or leave picked).
        for name, choices in (
            ("recommendation", Opinion.Recommendation.choices),
            ("confidence", Opinion.Confidence.choices),
        ):
            cast(forms.ChoiceField, self.fields[name]).choices = choices
        prompt_required_choices(self)

    class Meta:
        model = Opinion
        fields = [
            "impression",
            "recommendation",
            "procedure",
            "timing",
            "transfer_to",
            "investigations",
            "advice",
            "confidence",
        ]
        widgets = {
            "impression": forms.Textarea(attrs={"rows": 3}),
            "investigations": forms.Textarea(attrs={"rows": 2}),
            "advice": forms.Textarea(attrs={"rows": 5}),
            "recommendation": forms.RadioSelect,
            "confidence": forms.RadioSelect,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        recommendation = data.get("recommendation")
        if recommendation == Opinion.Recommendation.OPERATE_LOCALLY and not data.get("procedure"):
            self.add_error("procedure", _("Say which operation."))
        if recommendation == Opinion.Recommendation.TRANSFER and not data.get("transfer_to"):
            self.add_error("transfer_to", _("Say where to transfer the patient."))
        if recommendation == Opinion.Recommendation.INVESTIGATE and not data.get("investigations"):
            self.add_error("investigations", _("Say which investigations."))
        return data


class MessageForm(ClientTokenMixin, forms.Form):
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, offer_confirmation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_client_token()
        if offer_confirmation:
            self.fields["confirm_identifiers"] = forms.BooleanField(
                required=False,
                label=_("The flagged words are not the patient's identifiers: send as written."),
            )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document or photo"), help_text=_("A PDF, or a JPEG, PNG or WebP photo."))
    description = forms.CharField(label=_("What it shows"), max_length=200)
    checked = forms.BooleanField(
        label=_("I checked: no patient name or hospital number is visible in this file."),
    )


class OutcomeForm(KeepsStoredTimes):
    class Meta:
        model = Outcome
        fields = [
            "management",
            "operated_by",
            "operation",
            "operation_date",
            "complications",
            "discharge_status",
            "gose_discharge",
            "gose_6_months",
        ]
        formfield_callback = html_formfield
        widgets = {"complications": forms.Textarea(attrs={"rows": 2})}

    # Free text the consultants abroad read, checked for identifiers as the action checks it.
    CHECKED_TEXT = ("operation", "complications")
    # What lib/outcome_rules.py reads: with one of them refused on its own, the rules would read
    # it as empty and could blame another field for it.
    RULES_READ = (
        "management",
        "discharge_status",
        "operated_by",
        "operation",
        "operation_date",
        "gose_discharge",
        "gose_6_months",
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        prompt_required_choices(self)

    def clean(self) -> dict[str, Any]:
        """Every refusal of one submit at once, each on its field: identifiers in the text (worded
        for what was found) and the contradictions the outcome action refuses (lib/outcome_rules.py,
        through the action's own check). The action checks both again, for the API and for a
        record changed meanwhile; without a case (a blank form) there is nothing to check against."""
        data = super().clean() or {}
        if self.case is None:
            return data
        values = dict(data)
        refused_alone = set(self.errors)
        findings = identifier_findings_in(
            self.case, {name: values.get(name) or "" for name in self.CHECKED_TEXT}, author_in_team=True
        )
        for field, messages in identifier_messages(findings).items():
            for message in messages:
                self.add_error(field, message)
        if refused_alone & set(self.RULES_READ):
            return data
        try:
            refuse_contradictions(
                self.case, Outcome(case=self.case, **{name: values.get(name) for name in self.RULES_READ})
            )
        except FieldErrors as refused:
            for error in refused.errors:
                if error["field"] not in self.errors:
                    self.add_error(
                        error["field"] if error["field"] in self.fields else None, error["message"]
                    )
        return data


class AssignForm(forms.Form):
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=User.objects.none())

    def __init__(self, *args: Any, consultants: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = User.objects.filter(pk__in=[c.pk for c in consultants])  # type: ignore[attr-defined]
        prompt_required_choices(self)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why close it without an outcome?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Case code"), required=False, max_length=12)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("Any urgency")), *Urgency.choices]
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=DiagnosisCategory.objects.all(),
        empty_label=_("Any category"),
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        required=False,
        queryset=Institution.objects.none(),
        empty_label=_("Any institution"),
    )
    consultant = forms.ModelChoiceField(
        label=_("Consultant"), required=False, queryset=User.objects.none(), empty_label=_("Any consultant")
    )
    sent_from = DateField(label=_("Sent from"), required=False)
    sent_to = DateField(label=_("Sent until"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution = cast(forms.ModelChoiceField, self.fields["institution"])
        institution.queryset = Institution.objects.filter(
            is_active=True, memberships__role=Role.REFERRER
        ).distinct()
        consultant = cast(forms.ModelChoiceField, self.fields["consultant"])
        consultant.queryset = (
            User.objects.filter(is_active=True, memberships__role=Role.CONSULTANT)
            .distinct()
            .order_by("full_name")
        )


class ShiftForm(forms.Form):
    starts_at = DateTimeField(label=_("From"))
    ends_at = DateTimeField(label=_("Until"))

    def __init__(self, *args: Any, consultants: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if consultants is not None:  # a coordinator keeps the shifts of several consultants
            self.fields["consultant"] = forms.ModelChoiceField(label=_("Consultant"), queryset=consultants)
            self.order_fields(["consultant", "starts_at", "ends_at"])
        prompt_required_choices(self, only_choice=("consultant",))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The shift must end after it starts."))
        return data


class ConferenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    institution = forms.ModelChoiceField(label=_("Organised by"), queryset=User.objects.none())
    starts_at = DateTimeField(label=_("Starts"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=60
    )
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        prompt_required_choices(self, only_choice=("institution",))


class ConferenceCaseForm(forms.Form):
    # Open or closed: teaching often discusses a case after its outcome.
    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none(), to_field_name="code")

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["case"].label_from_instance = (  # type: ignore[attr-defined]
            lambda case: f"{case.code} · {case.category.name} · {case.get_status_display()}"
        )
        prompt_required_choices(self)


class InviteForm(forms.Form):
    people = forms.ModelMultipleChoiceField(label=_("Invite"), queryset=User.objects.none())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
        prompt_required_choices(self)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the discussion"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
