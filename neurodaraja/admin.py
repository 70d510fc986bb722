from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

# The apps we install from others name their sections and tables in English only (plain strings,
# or msgids of catalogues without Kiswahili or Chinese): the index names them in our words.
APP_NAMES: dict[str, Promise] = {
    "axes": _("Sign-in lockouts"),
    "otp_static": _("Recovery codes"),
    "otp_totp": _("Authenticator apps"),
    "django_tasks_database": _("Background tasks"),
}
MODEL_NAMES: dict[str, Promise] = {
    "axes.AccessAttempt": _("Failed sign-in attempts"),
    "axes.AccessFailureLog": _("Failed sign-ins"),
    "axes.AccessLog": _("Sign-in log"),
    "otp_static.StaticDevice": _("Recovery code sets"),
    "otp_totp.TOTPDevice": _("Authenticator apps"),
    "django_tasks_database.DBTaskResult": _("Task results"),
}


def refusal(user: Any) -> Promise:
    """Why the admin site is closed to this person, and where to go instead."""
    if user.is_authenticated and user.has_role(Role.COORDINATOR):
        return _(
            "The administration site is for the platform's IT administrators. As a coordinator you "
            "manage the people, roles and invitations of your institutions under People."
        )
    return _(
        "The administration site is for the platform's IT administrators. If something needs "
        "changing there, ask one of them."
    )


class AdminSite(admin.AdminSite):
    """Django's admin for IT administrators, behind the same sign-in, lockout and second factor
    as every other page (its own login form is never shown)."""

    site_header = _("NeuroDaraja administration")
    site_title = _("NeuroDaraja administration")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_administrator)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
            if not self.has_permission(request):
                raise PermissionDenied(refusal(request.user))
            return inner(request, *args, **kwargs)

        return guarded

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get(f"{app['app_label']}.{model['object_name']}", model["name"])
        return apps

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))
