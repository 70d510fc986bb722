"""The audit trail, read by administrators and by coordinators for their institutions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import audit_entries_for
from core.audit import action_label, details_rows, object_label
from core.forms import AuditFilterForm

AUDIT_PAGE_SIZE = 50


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
    entries_shown = list(page.object_list)
    rows = [
        (entry, action_label(entry.action), object_label(entry.object_type), detail)
        for entry, detail in zip(entries_shown, details_rows([e.detail for e in entries_shown]), strict=True)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
