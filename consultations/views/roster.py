"""On-call rosters: consultants keep their own shifts, in their own time zone; coordinators see
who is on call now in every partner country."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Membership, Role, User
from consultations import actions, queries
from consultations.access import get_own_shift
from consultations.forms import ShiftForm


@login_required
def on_call(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    is_consultant = user.has_role(Role.CONSULTANT)
    is_coordinator = user.has_role(Role.COORDINATOR) or user.is_administrator
    if not (is_consultant or is_coordinator):
        raise PermissionDenied
    form = ShiftForm(request.POST or None) if is_consultant else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            actions.rosters.add_shift(
                user, form.cleaned_data["starts_at"], form.cleaned_data["ends_at"], request=request
            )
            messages.success(request, _("Shift added."))
            return HttpResponseRedirect(reverse("consultations:on_call"))
    now = timezone.now()
    on_call_now = []
    if is_coordinator:
        memberships = Membership.objects.filter(role=Role.CONSULTANT).select_related(
            "institution__country", "user"
        )
        on_now = set(queries.consultants_on_call(now))
        on_call_now = sorted(
            {(m.user, m.institution) for m in memberships if m.user_id in on_now and m.user.is_active},
            key=lambda pair: (pair[1].country.code, pair[0].full_name),
        )
    return render(
        request,
        "consultations/on_call.html",
        {
            "form": form,
            "shifts": queries.upcoming_shifts(user, now) if is_consultant else [],
            "on_call_now": on_call_now,
            "is_coordinator": is_coordinator,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def remove_shift(request: HttpRequest, shift_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    actions.rosters.remove_shift(user, get_own_shift(user, shift_id), request=request)
    messages.success(request, _("Shift removed."))
    return HttpResponseRedirect(reverse("consultations:on_call"))
