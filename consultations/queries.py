"""The lists of cases, conferences and shifts that pages and the API both show.

Read-only: which cases fall in an inbox, the columns a case list loads, the open cases a
conference may discuss, who is on call. Access rules stay in `access.py`; changes in `actions`.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from consultations.access import cases_visible_to, referring_team_institutions
from consultations.models import Assignment, Case, OnCallShift, Opinion, Status

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


def cases_in_box(user: User, box: str, cases: QuerySet[Case]) -> QuerySet[Case]:
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


def with_list_columns(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The columns of a case list, loaded in a fixed number of queries whatever the length."""
    return cases.select_related("category", "referring_institution").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(ended_at__isnull=True).select_related("consultant"),
            to_attr="active_assignments",
        )
    )


def eligible_cases(coordinator: User) -> QuerySet[Case]:
    """Open cases the coordinator can see: the case list of a conference is drawn from these."""
    return cases_visible_to(coordinator).filter(status__in=OPEN_STATUSES)


def consultants_on_call(now: datetime) -> list[int]:
    return list(
        OnCallShift.objects.filter(starts_at__lte=now, ends_at__gt=now).values_list(
            "consultant_id", flat=True
        )
    )


def upcoming_shifts(user: User, now: datetime) -> list[OnCallShift]:
    return list(OnCallShift.objects.filter(consultant=user, ends_at__gt=now).order_by("starts_at")[:50])
