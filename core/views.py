from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from core.access import audit_entries_for
from core.audit import action_label
from core.forms import AuditFilterForm
from core.models import Notification

AUDIT_PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from accounts.home import home_sections

    return render(request, "core/home.html", {"sections": home_sections(request.user)})  # type: ignore[arg-type]


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = audit_entries_for(request.user)  # type: ignore[arg-type]
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["actor"]:
            entries = entries.filter(actor_label__icontains=data["actor"].strip())
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"].strip())
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"].strip())
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            entries = entries.filter(created_at__gte=datetime.combine(data["date_from"], time.min, zone))
        if data["date_to"]:
            end = datetime.combine(data["date_to"], time.min, zone) + timedelta(days=1)
            entries = entries.filter(created_at__lt=end)
    elif form.is_bound:
        entries = entries.none()
    entries = entries.select_related("institution").order_by("-id")
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, action_label(entry.action)) for entry in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


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


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, also remembered on the signed-in person's profile."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and check_for_language(language) and language != user.preferred_language:
        from accounts.actions import update_profile

        update_profile(user, {"preferred_language": language}, request=request)
    return response


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
    return _error(
        request,
        403,
        _("Not allowed"),
        _("Your role does not allow this. If you need it, ask your coordinator."),
    )


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
