from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from accounts.actions import has_second_factor, session_verified

# What a signed-in person may reach before their second factor is in place.
ALLOWED_BEFORE_SECOND_FACTOR = {
    "accounts:two_factor_setup",
    "accounts:logout",
    "set_language",
    "core:healthz",
    # A certificate's public verification, reached from its QR code by anyone.
    "training_certificates:lookup",
    "training_certificates:verify",
}


class TwoFactorRequiredMiddleware:
    """Two rules, checked on every page:

    - a session that has not proved the person's existing authenticator is signed out (it
      could otherwise replace the authenticator or turn it off);
    - consultants, coordinators and administrators without an authenticator may only set one
      up (someone given such a role while signed in is sent there at once).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not session_verified(user) and not request.path_info.startswith("/api/"):
            if has_second_factor(user):
                logout(request)
                messages.info(request, _("Please sign in again with your authenticator code."))
                return HttpResponseRedirect(reverse("accounts:login"))
            if user.requires_two_factor and _view_name(request) not in ALLOWED_BEFORE_SECOND_FACTOR:
                return HttpResponseRedirect(reverse("accounts:two_factor_setup"))
        return self.get_response(request)


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""
