from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.actions import send_password_reset
from accounts.models import Institution, Role, User, normalise_email
from accounts.validators import normalise_phone
from core.models import Subspecialty

# The partnership's own zones first; anyone elsewhere can still be set up by an administrator.
COMMON_TIME_ZONES = [
    "Africa/Dar_es_Salaam",
    "Asia/Shanghai",
    "Africa/Nairobi",
    "Africa/Kampala",
    "Africa/Kigali",
    "Africa/Lusaka",
    "Europe/London",
    "UTC",
]


def time_zone_choices(current: str | None = None) -> list[tuple[str, str]]:
    zones = list(COMMON_TIME_ZONES)
    for zone in Institution.objects.values_list("time_zone", flat=True).distinct():
        if zone not in zones:
            zones.append(zone)
    if current and current not in zones:
        zones.append(current)
    return [(zone, zone.replace("_", " ")) for zone in zones]


class PhoneField(forms.CharField):
    """A phone number typed the local way, stored in international form."""

    def __init__(self, *args: Any, region: str = "TZ", **kwargs: Any) -> None:
        self.region = region
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return normalise_phone(text, self.region) if text else ""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "tel", "autocomplete": "tel"}


def phone_region_for(user: User | None) -> str:
    if user is not None and user.is_authenticated:
        for membership in user.active_memberships:
            return membership.institution.country.code
    return "TZ"


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail address or password is not right. Please try again."),
        "inactive": _("This account has been deactivated. Ask your coordinator to reactivate it."),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            # Say "deactivated" only to someone who knows the password; anyone else learns nothing.
            email = normalise_email(self.cleaned_data.get("username") or "")
            password = self.cleaned_data.get("password") or ""
            dormant = User.objects.filter(email__iexact=email, is_active=False).first()
            if dormant is not None and dormant.check_password(password):
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive") from None
            raise


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off"}
        ),
    )


class ConfirmAuthenticatorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ProfileForm(forms.ModelForm):
    phone = PhoneField(label=_("Mobile phone"), required=False, help_text=_("For urgent alerts by SMS."))
    time_zone = forms.ChoiceField(label=_("Time zone"))

    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "time_zone", "phone", "notify_by_email", "notify_by_sms"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = time_zone_choices(self.instance.time_zone)
        self.fields["phone"].region = phone_region_for(self.instance)  # type: ignore[attr-defined]


class ConsultantProfileForm(forms.Form):
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages in which you can discuss a case"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    subspecialties = forms.ModelMultipleChoiceField(
        label=_("Subspecialties"),
        queryset=Subspecialty.objects.select_related("specialty"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    roles = forms.MultipleChoiceField(label=_("Roles"), widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial="sw"
    )

    def __init__(self, *args: Any, actor: User, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        cast(forms.ChoiceField, self.fields["roles"]).choices = assignable_roles(actor)


class AddRoleForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, actor: User, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        cast(forms.ChoiceField, self.fields["role"]).choices = assignable_roles(actor)


def assignable_roles(actor: User) -> list[tuple[str, Any]]:
    return [
        (value, label)
        for value, label in Role.choices
        if value != Role.ADMINISTRATOR or actor.is_administrator
    ]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password and not only numbers."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Time zone"))
    phone = PhoneField(label=_("Mobile phone"), required=False, help_text=_("For urgent alerts by SMS."))

    def __init__(self, *args: Any, email: str, region: str = "TZ", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = time_zone_choices()
        self.fields["phone"].region = region  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        elif first:
            probe = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ApiTokenForm(forms.Form):
    VALIDITY = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        ("", _("No expiry")),
    ]
    name = forms.CharField(label=_("What is this token for?"), max_length=100)
    valid_days = forms.ChoiceField(label=_("Valid for"), choices=VALIDITY, initial="90", required=False)
    # Asked again on every new token (accounts.actions.create_own_api_token says why).
    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Asked again so that nobody else using this signed-in device can create a token as you."),
    )
    code = forms.CharField(
        label=_("Or a code from your authenticator app"),
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "off"}
        ),
    )

    def __init__(self, *args: Any, with_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("password") and not data.get("code"):
            self.add_error(
                "password",
                _("Type your password, or a code from your authenticator app, to create a token.")
                if "code" in self.fields
                else _("Type your password to create a token."),
            )
        return data


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *Role.choices], required=False)

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]


class TranslatedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending through our e-mail helper in the person's own language."""

    request: Any = None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.request = kwargs.get("request")
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        send_password_reset(
            context["user"], to_email, uid=context["uid"], token=context["token"], request=self.request
        )
