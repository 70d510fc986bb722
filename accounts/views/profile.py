"""A person's own profile, security (second factor, recovery codes) and API tokens."""

from __future__ import annotations

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from accounts import actions
from accounts.access import get_own_api_token
from accounts.forms import (
    ApiTokenForm,
    ConfirmAuthenticatorForm,
    ConsultantProfileForm,
    ProfileForm,
)
from accounts.models import ApiToken, Role, User
from core.errors import ActionError


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    is_consultant = user.has_role(Role.CONSULTANT)
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    consultant_form = (
        ConsultantProfileForm(
            request.POST or None,
            initial={
                "languages_spoken": user.languages_spoken,
                "subspecialties": list(user.subspecialties.all()),
            },
        )
        if is_consultant
        else None
    )
    if request.method == "POST":
        forms_valid = form.is_valid() and (consultant_form is None or consultant_form.is_valid())
        if forms_valid:
            changes = dict(form.cleaned_data)
            subspecialties = None
            if consultant_form is not None:
                changes["languages_spoken"] = consultant_form.cleaned_data["languages_spoken"]
                subspecialties = consultant_form.cleaned_data["subspecialties"]
            actions.update_profile(user, changes, subspecialties=subspecialties, request=request)
            messages.success(request, _("Your profile has been saved."))
            return HttpResponseRedirect(reverse("accounts:profile"))
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "consultant_form": consultant_form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/security.html",
        {
            "has_second_factor": actions.has_second_factor(user),
            "required": user.requires_two_factor,
            "tokens_count": ApiToken.objects.filter(user=user, revoked_at__isnull=True).count(),
        },
    )


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]  # drop the XML declaration for inline use


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if actions.has_second_factor(user):
        # The middleware has already signed out sessions that never proved the authenticator.
        messages.info(request, _("Two-factor sign-in is already set up."))
        return HttpResponseRedirect(reverse("accounts:security"))
    device = actions.start_totp_enrolment(user)
    form = ConfirmAuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.confirm_totp_enrolment(user, device, form.cleaned_data["code"], request=request)
        except ActionError as error:
            form.add_error("code", str(error.message))
        else:
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": True})
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - SVG we generated ourselves
            "config_url": device.config_url,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "required": user.requires_two_factor,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = actions.regenerate_recovery_codes(_user(request), request=request)
    except ActionError as error:
        messages.error(request, str(error.message))
        return HttpResponseRedirect(reverse("accounts:security"))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": False})


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    try:
        actions.remove_two_factor(_user(request), request=request)
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Two-factor sign-in has been turned off."))
    return HttpResponseRedirect(reverse("accounts:security"))


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    with_code = actions.has_second_factor(user)
    form = ApiTokenForm(request.POST or None, with_code=with_code)
    new_token = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["valid_days"]
        try:
            _token, new_token = actions.create_own_api_token(
                user,
                name=form.cleaned_data["name"],
                valid_days=int(days) if days else None,
                password=form.cleaned_data["password"],
                code=form.cleaned_data.get("code", ""),
                request=request,
            )
        except ActionError as error:
            field = "code" if error.code == "wrong_code" else "password"
            form.add_error(field, str(error.message))
        else:
            form = ApiTokenForm(with_code=with_code)
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at")
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _user(request)
    token = get_own_api_token(user, token_id)
    actions.revoke_api_token(user, token, request=request)
    messages.success(request, _("The token has been revoked; programs using it can no longer connect."))
    return HttpResponseRedirect(reverse("accounts:api_tokens"))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, also remembered on the signed-in person's profile."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and check_for_language(language) and language != user.preferred_language:
        actions.update_profile(user, {"preferred_language": language}, request=request)
    return response
