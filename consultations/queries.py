"""The lists of cases, conferences and shifts that pages and the API both show.

Read-only: which cases fall in an inbox, the columns a case list loads, the open cases a
conference may discuss, who is on call. Access rules stay in `access.py`; changes in `actions`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from consultations.access import referring_team_institutions
from consultations.models import Assignment, Case, OnCallShift, Opinion, Status

OPEN_STATUSES = [Status.OPEN, Status.ACKNOWLEDGED, Status.ANSWERED]

BOXES = {
    "ours": _("Our hospital's cases"),
    "awaiting": _("Awaiting my answer"),
    "answered": _("Answered by me"),
    "open": _("Open consultations"),
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
    if user.has_role(Role.COORDINATOR):
        boxes.append("open")
    boxes.append("overdue")
    if referring_team_institutions(user):
        boxes.append("outcome")
    boxes.append("all")
    return boxes


def default_box(user: User) -> str:
    """The list the "Consultations" menu opens on: the one that holds the person's work. A
    consultant's is what awaits their answer (a consultant abroad has no hospital cases of their
    own, so "ours" was always empty), a referring team's the hospital's cases, a coordinator's
    the open cases they look after; anyone else's, all they may see."""
    roles = user.roles
    if Role.CONSULTANT in roles:
        return "awaiting"
    if roles & {Role.REFERRER, Role.SUPERVISOR}:
        return "ours"
    if Role.COORDINATOR in roles:
        return "open"
    return "all"


def open_cases_visible_to(user: User) -> QuerySet[Case]:
    """`cases_visible_to(user)` limited to open cases, with the status applied inside each way of
    seeing a case (the same ways, tested equal in test_lists_stay_fast.py). Filtering the whole
    union instead made the database gather every case the person ever saw, closed history
    included, before keeping the open ones: the board's time grew with the years."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    return Case.objects.filter(pk__in=open_case_ids_visible_to(user))


def open_case_ids_visible_to(user: User) -> QuerySet[Any]:
    """The ids of `open_cases_visible_to(user)`, each way of seeing a case read through its own
    index, without touching the case table as a whole (a list of ids to read a page by)."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none().values_list("pk", flat=True)
    ids = (
        Case.objects.filter(
            referring_institution__in=referring_team_institutions(user), status__in=OPEN_STATUSES
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    consultants: list[Any] = [[user.pk]]
    coordinated = [i.pk for i in user.institutions_with_role(Role.COORDINATOR)]
    if coordinated:
        consultants = [
            [user.pk],
            Membership.objects.filter(institution__in=coordinated, role=Role.CONSULTANT).values("user_id"),
        ]
    parts = []
    for who in consultants:
        parts += [
            Assignment.objects.filter(
                consultant__in=who, ended_at__isnull=True, case__status__in=OPEN_STATUSES
            )
            .order_by()
            .values_list("case_id", flat=True),
            Opinion.objects.filter(consultant__in=who, case__status__in=OPEN_STATUSES)
            .order_by()
            .values_list("case_id", flat=True),
        ]
    return ids.union(*parts)


def cases_in_box(user: User, box: str, cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases of one inbox. A consultant's own boxes start from their assignments and
    opinions, which already prove access: narrower than "all I can see", and much faster."""
    if box == "ours":
        return Case.objects.filter(referring_institution__in=referring_team_institutions(user))
    if box == "awaiting":
        # Joined from the person's active assignments (an index), not from every waiting case of
        # the platform checked against them.
        waiting = Assignment.objects.filter(
            consultant=user, ended_at__isnull=True, case__status__in=[Status.OPEN, Status.ACKNOWLEDGED]
        )
        return Case.objects.filter(pk__in=waiting.order_by().values("case_id"))
    if box == "answered":
        return Case.objects.filter(pk__in=Opinion.objects.filter(consultant=user).values("case_id"))
    if box == "open":
        return open_cases_visible_to(user)
    if box == "overdue":
        return open_cases_visible_to(user).filter(status=Status.OPEN, deadline__lt=timezone.now())
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
    return open_cases_visible_to(coordinator)


def consultants_on_call(now: datetime) -> list[int]:
    return list(
        OnCallShift.objects.filter(starts_at__lte=now, ends_at__gt=now).values_list(
            "consultant_id", flat=True
        )
    )
