"""Sign-in in two steps (password, then second factor), sign-out, lockout and password reset."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts.actions import check_second_factor, has_second_factor, password_changed
from accounts.demo import current_demo_code, is_demo_account
from accounts.forms import SecondFactorForm, SignInForm, TranslatedPasswordResetForm
from accounts.models import User

PENDING_KEY = "pending_second_factor"
PENDING_SECONDS = 300


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(_safe_next(request, request.GET.get("next")))
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        next_url = _safe_next(request, request.POST.get("next"))
        if has_second_factor(user):
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": getattr(user, "backend", ""),
                "next": next_url,
                "since": time.time(),
            }
            return HttpResponseRedirect(reverse("accounts:login_verify"))
        login(request, user)
        if user.requires_two_factor:
            return HttpResponseRedirect(reverse("accounts:two_factor_setup"))
        return HttpResponseRedirect(next_url)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=400 if request.method == "POST" else 200,
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def verify_second_factor(request: HttpRequest) -> HttpResponse:
    pending: dict[str, Any] | None = request.session.get(PENDING_KEY)
    user = None
    if pending and time.time() - pending["since"] < PENDING_SECONDS:
        user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or pending is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Your sign-in took too long. Please enter your password again."))
        return HttpResponseRedirect(reverse("accounts:login"))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = check_second_factor(user, form.cleaned_data["code"], request=request)
        if device is not None:
            del request.session[PENDING_KEY]
            login(request, user, backend=pending["backend"] or None)
            otp_login(request, device)
            if device.__class__.__name__ == "StaticDevice":
                messages.warning(
                    request,
                    _("You used a recovery code. Each code works once; make new ones in Security."),
                )
            return HttpResponseRedirect(pending["next"])
        form.add_error(
            "code",
            _("That code is not right, or too many codes were tried. Wait a moment and use the newest code."),
        )
    demo_code = None
    if settings.DEMO_MODE and is_demo_account(user.email):
        demo_code = current_demo_code(user.email)  # fictional accounts only, never in production
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "demo_code": demo_code},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have signed out."))
    return HttpResponseRedirect(reverse("accounts:login"))


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """What django-axes shows after too many failed sign-ins (429, translated)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = TranslatedPasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        revoked = password_changed(form.user, via="reset", request=self.request)
        messages.success(self.request, _password_changed_message(revoked))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        revoked = password_changed(form.user, via="change", request=self.request)
        messages.success(self.request, _password_changed_message(revoked))
        return response


def _password_changed_message(revoked: int) -> str:
    if not revoked:
        return _("Your password has been changed. You were signed out everywhere else.")
    return ngettext(
        "Your password has been changed. You were signed out everywhere else, and your %(count)s API "
        "token was revoked: make a new one where you still need it.",
        "Your password has been changed. You were signed out everywhere else, and your %(count)s API "
        "tokens were revoked: make new ones where you still need them.",
        revoked,
    ) % {"count": revoked}
