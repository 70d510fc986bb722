"""Inboxes for each role and the coordinators' board."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from consultations.access import cases_visible_to, referring_team_institutions
from consultations.forms import InboxFilterForm
from consultations.models import Assignment, Case, Opinion, Status

PAGE_SIZE = 30
OPEN_STATUSES = [Status.OPEN, Status.ACKNOWLEDGED, Status.ANSWERED]

BOXES = {
    "ours": _("Our hospital's cases"),
    "awaiting": _("Awaiting my answer"),
    "answered": _("Answered by me"),
    "overdue": _("Overdue"),
    "outcome": _("Awaiting outcome"),
    "all": _("All I can see"),
}


def boxes_for(user: User) -> list[str]:
    boxes = []
    if referring_team_institutions(user):
        boxes.append("ours")
    if user.has_role(Role.CONSULTANT):
        boxes += ["awaiting", "answered"]
    boxes.append("overdue")
    if referring_team_institutions(user):
        boxes.append("outcome")
    boxes.append("all")
    return boxes


def _box(user: User, box: str, cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases of one inbox. A consultant's own boxes start from their assignments and
    opinions, which already prove access: narrower than "all I can see", and much faster."""
    if box == "ours":
        return Case.objects.filter(referring_institution__in=referring_team_institutions(user))
    if box == "awaiting":
        mine_active = Assignment.objects.filter(consultant=user, ended_at__isnull=True).values("case_id")
        return Case.objects.filter(pk__in=mine_active, status__in=[Status.OPEN, Status.ACKNOWLEDGED])
    if box == "answered":
        return Case.objects.filter(pk__in=Opinion.objects.filter(consultant=user).values("case_id"))
    if box == "overdue":
        return cases.filter(status=Status.OPEN, deadline__lt=timezone.now())
    if box == "outcome":
        return Case.objects.filter(
            status=Status.ANSWERED, referring_institution__in=referring_team_institutions(user)
        )
    return cases


def _with_list_columns(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The columns of a case list, loaded in a fixed number of queries whatever the length."""
    return cases.select_related("category", "referring_institution").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(ended_at__isnull=True).select_related("consultant"),
            to_attr="active_assignments",
        )
    )


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
    box = request.GET.get("box") or boxes[0]
    if box not in boxes:
        box = boxes[0]
    form = InboxFilterForm(request.GET or None)
    cases = _filtered(form, _box(user, box, cases_visible_to(user)))
    page = Paginator(_with_list_columns(cases).order_by("-submitted_at", "-created_at"), PAGE_SIZE).get_page(
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
    cases = _with_list_columns(cases_visible_to(user).filter(status__in=OPEN_STATUSES)).order_by("deadline")
    page = Paginator(cases, 100).get_page(request.GET.get("page"))
    return render(request, "consultations/board.html", {"page": page, "now": timezone.now()})
