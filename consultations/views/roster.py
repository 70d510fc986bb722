"""On-call rosters: who is on call now and in the coming four weeks, day by day in the reader's
time zone (named on the page). Consultants keep their own shifts; the coordinators of their
institution keep them too; removing a shift asks first."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from consultations import actions, queries
from consultations.access import (
    get_shift_to_change,
    reads_whole_roster,
    roster_visible_to,
    rostered_consultants,
)
from consultations.forms import ShiftForm
from consultations.models import OnCallShift
from core.errors import ActionError
from core.i18n import zone_with_offset
from lib.roster import ROSTER_DAYS, by_day


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _shift_form(user: User, data: Any = None, **kwargs: Any) -> ShiftForm | None:
    """A coordinator chooses whose shift it is; a consultant adds their own; others add none."""
    if user.has_role(Role.COORDINATOR):
        keeps = rostered_consultants(user)
        if keeps.exists():
            return ShiftForm(data, consultants=keeps, **kwargs)
    if user.has_role(Role.CONSULTANT):
        return ShiftForm(data, **kwargs)
    return None


# The refusals of actions.rosters that are about the shift's end: shown at that field.
AT_THE_END = {"order", "ended", "too_long"}


def _refused(form: ShiftForm, error: ActionError) -> None:
    form.add_error("ends_at" if error.code in AT_THE_END else None, str(error.message))


@login_required
def on_call(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    visible = roster_visible_to(user)  # 403 for anyone who reads no roster
    is_coordinator = reads_whole_roster(user)
    form = _shift_form(user, request.POST or None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.rosters.add_shift(
                    user,
                    form.cleaned_data["starts_at"],
                    form.cleaned_data["ends_at"],
                    consultant=form.cleaned_data.get("consultant"),
                    request=request,
                )
            except ActionError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Shift added."))
                return HttpResponseRedirect(reverse("consultations:on_call"))
    now = timezone.now()
    context: dict[str, Any] = {
        "form": form,
        "is_coordinator": is_coordinator,
        "zone": zone_with_offset(now),
        "days": _coming_days(user, visible, now),
        "on_call_now": _on_call_now(now) if is_coordinator else [],
    }
    return render(
        request, "consultations/on_call.html", context, status=400 if request.method == "POST" else 200
    )


def _coming_days(user: User, visible: QuerySet[OnCallShift], now: Any) -> list[Any]:
    """The coming four weeks from today (the reader's today), each day with the shifts the
    reader sees (consultations.access.roster_visible_to). Each says whether the reader may
    change it."""
    zone = ZoneInfo(str(timezone.get_current_timezone()))
    today = timezone.localtime(now).date()
    first = datetime.combine(today, time.min, tzinfo=zone)
    shifts = visible.filter(
        ends_at__gt=first, starts_at__lt=first + timedelta(days=ROSTER_DAYS + 1)
    ).select_related("consultant")
    rows = list(shifts.order_by("starts_at")[:1000])
    keeps = set(
        rostered_consultants(user).filter(pk__in={s.consultant_id for s in rows}).values_list("pk", flat=True)
    )
    places = _institutions({s.consultant_id for s in rows})
    entries = [
        (
            {
                "shift": s,
                "place": places.get(s.consultant_id, ""),
                "mine": s.consultant_id in keeps,
                "ends_text": moment_text(s.ends_at),
            },
            s.starts_at,
            s.ends_at,
        )
        for s in rows
    ]
    return by_day(entries, zone, today, ROSTER_DAYS)


def moment_text(moment: Any) -> str:
    """'Mon 14 December, 09:00' in the reader's zone and language: the end a later day names."""
    local = timezone.localtime(moment)
    day = f"{formats.date_format(local, 'D')} {formats.date_format(local, 'MONTH_DAY_FORMAT')}"
    return f"{day}, {formats.time_format(local, 'TIME_FORMAT')}"


def _institutions(consultant_ids: set[int]) -> dict[int, str]:
    places: dict[int, str] = {}
    for membership in (
        Membership.objects.filter(user_id__in=consultant_ids, role=Role.CONSULTANT)
        .select_related("institution")
        .order_by("institution__short_code")
    ):
        places.setdefault(membership.user_id, membership.institution.short_code)
    return places


def _on_call_now(now: Any) -> list[tuple[User, Any, str]]:
    """Who is on call now, with their institution and their own zone (named as the page's)."""
    memberships = Membership.objects.filter(role=Role.CONSULTANT).select_related(
        "institution__country", "user"
    )
    on_now = set(queries.consultants_on_call(now))
    pairs = sorted(
        {(m.user, m.institution) for m in memberships if m.user_id in on_now and m.user.is_active},
        key=lambda pair: (pair[1].country.code, pair[0].full_name),
    )
    return [(person, place, zone_with_offset(now, _zone_of(person))) for person, place in pairs]


def _zone_of(person: User) -> ZoneInfo | None:
    try:
        return ZoneInfo(person.time_zone) if person.time_zone else None
    except (ValueError, ZoneInfoNotFoundError):  # not a zone: the reader's instead
        return None


@login_required
def edit_shift(request: HttpRequest, shift_id: int) -> HttpResponse:
    user = _user(request)
    shift = get_shift_to_change(user, shift_id)
    form = ShiftForm(request.POST or None, initial={"starts_at": shift.starts_at, "ends_at": shift.ends_at})
    if request.method == "POST" and form.is_valid():
        try:
            actions.rosters.change_shift(
                user, shift, form.cleaned_data["starts_at"], form.cleaned_data["ends_at"], request=request
            )
        except ActionError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Shift saved."))
            return HttpResponseRedirect(reverse("consultations:on_call"))
    return render(
        request,
        "consultations/shift_form.html",
        {"form": form, "shift": shift, "zone": zone_with_offset(timezone.now())},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def remove_shift(request: HttpRequest, shift_id: int) -> HttpResponse:
    """Asks first: only a POST that confirms removes the shift; anything else shows the question."""
    user = _user(request)
    shift = get_shift_to_change(user, shift_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        actions.rosters.remove_shift(user, shift, request=request)
        messages.success(request, _("Shift removed."))
        return HttpResponseRedirect(reverse("consultations:on_call"))
    return render(
        request,
        "consultations/shift_remove.html",
        {"shift": shift, "zone": zone_with_offset(timezone.now())},
    )
