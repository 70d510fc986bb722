"""Inboxes for each role and the coordinators' board."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Role, User
from consultations.access import cases_visible_to
from consultations.forms import InboxFilterForm
from consultations.models import Assignment, Case
from consultations.queries import (
    BOXES,
    boxes_for,
    cases_in_box,
    default_box,
    open_case_ids_visible_to,
    with_list_columns,
)

PAGE_SIZE = 30


def _filtered(form: InboxFilterForm, cases: QuerySet[Case]) -> QuerySet[Case]:
    if not form.is_valid():
        return cases.none() if form.is_bound and form.errors else cases
    data = form.cleaned_data
    if data["q"]:
        cases = cases.filter(code__icontains=data["q"].strip().upper())
    if data["status"]:
        cases = cases.filter(status=data["status"])
    if data["urgency"]:
        cases = cases.filter(urgency=data["urgency"])
    if data["category"]:
        cases = cases.filter(category=data["category"])
    if data["institution"]:
        cases = cases.filter(referring_institution=data["institution"])
    if data["consultant"]:
        cases = cases.filter(
            pk__in=Assignment.objects.filter(consultant=data["consultant"]).values("case_id")
        )
    zone = timezone.get_current_timezone()
    if data["sent_from"]:
        cases = cases.filter(submitted_at__gte=datetime.combine(data["sent_from"], time.min, zone))
    if data["sent_to"]:
        cases = cases.filter(
            submitted_at__lt=datetime.combine(data["sent_to"], time.min, zone) + timedelta(days=1)
        )
    return cases


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    boxes = boxes_for(user)
    box = request.GET.get("box", "")
    if box not in boxes:
        box = default_box(user)
    form = InboxFilterForm(request.GET or None)
    cases = _filtered(form, cases_in_box(user, box, cases_visible_to(user)))
    page = Paginator(with_list_columns(cases).order_by("-submitted_at", "-created_at"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consultations/inbox.html",
        {
            "boxes": [(name, BOXES[name]) for name in boxes],
            "box": box,
            "form": form,
            "active_filters": sum(1 for name in form.fields if request.GET.get(name, "").strip()),
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "can_refer": user.has_role(Role.REFERRER),
        },
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Coordinators: every open case they look after, the most urgent deadline first."""
    user: User = request.user  # type: ignore[assignment]
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied
    # The ids first, through the indexes of each way of seeing a case; then only those cases are
    # read, by primary key. Asked in one query, PostgreSQL read the whole case table to join them.
    ids = list(open_case_ids_visible_to(user))
    cases = with_list_columns(Case.objects.filter(pk__in=ids)).order_by("deadline", "pk")
    # A page as long as the inbox's: a hundred cards was most of the page's time (rendering).
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consultations/board.html", {"page": page, "now": timezone.now()})
