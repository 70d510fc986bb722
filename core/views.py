from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import Notification


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(recipient_id=request.user.pk).order_by("-created_at")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return HttpResponseRedirect(reverse("core:notifications"))


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context: dict[str, Any] = {"title": title, "message": message, "status": status}
    return render(request, "core/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. Please go back and try again."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A refusal that says why (raised with a translated message) is shown as it is.
    given = exception.args[0] if exception is not None and exception.args else None
    if isinstance(given, str | Promise) and str(given):
        message = str(given)
    elif "coordinator" in getattr(request.user, "roles", ()):  # accounts.Role.COORDINATOR
        # A coordinator is the one others ask: send them to an administrator instead.
        message = _("Your role does not allow this. If you need it, ask an administrator.")
    else:
        message = _("Your role does not allow this. If you need it, ask your coordinator.")
    return _error(request, 403, _("Not allowed"), message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Not found"),
        _("This page does not exist, or you do not have access to it."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("This form has expired"),
        _("The page was open too long or your session ended. Go back, reload the page and send it again."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong"),
        _("The error has been recorded. Please try again; if it happens again, tell your administrator."),
    )
