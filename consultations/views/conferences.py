"""Case conferences: schedule, draw the case list from the cases sent (open or closed), invite,
withdraw an invitation (after asking), mark attendance, summarise."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Institution, Role, User
from consultations.access import (
    cases_visible_to,
    conferences_for,
    discussable_cases,
    get_conference,
    get_invitation,
)
from consultations.actions import conferences
from consultations.forms import ConferenceCaseForm, ConferenceForm, InviteForm, SummaryForm
from core.errors import ActionError
from core.models import Country

# The partnership's two working zones, shown side by side for every conference.
ZONES = [("TZ", "Africa/Dar_es_Salaam"), ("CN", "Asia/Shanghai")]


def _both_zones(moment: Any) -> list[tuple[str, str]]:
    names = {
        country.code: country.name for country in Country.objects.filter(code__in=[c for c, _z in ZONES])
    }
    shown = []
    for code, zone in ZONES:
        local = timezone.localtime(moment, ZoneInfo(zone))
        delta = local.utcoffset()
        offset = int(delta.total_seconds() // 3600) if delta is not None else 0
        label = f"{names.get(code, code)} (UTC{offset:+d})"
        # Formatted here: the template's date filter would move it back to the reader's zone.
        shown.append((label, formats.date_format(local.replace(tzinfo=None), "SHORT_DATETIME_FORMAT")))
    return shown


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _invitable() -> Any:
    roles = [Role.CONSULTANT, Role.REFERRER, Role.SUPERVISOR, Role.TRAINEE, Role.COORDINATOR]
    return User.objects.filter(is_active=True, memberships__role__in=roles).distinct().order_by("full_name")


@login_required
def conference_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    items = conferences_for(user).select_related("institution").order_by("-starts_at")[:100]
    return render(
        request,
        "consultations/conference_list.html",
        {"conferences": items, "can_organise": user.has_role(Role.COORDINATOR), "now": timezone.now()},
    )


@login_required
def conference_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    institutions = Institution.objects.filter(
        pk__in=[i.pk for i in user.institutions_with_role(Role.COORDINATOR)]
    )
    if not institutions:
        raise PermissionDenied
    form = ConferenceForm(request.POST or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        conference = conferences.schedule(user, **form.cleaned_data, request=request)
        messages.success(request, _("Conference scheduled. Now add the cases and invite the participants."))
        return HttpResponseRedirect(reverse("consultations:conference", args=[conference.pk]))
    return render(
        request,
        "consultations/conference_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def conference_detail(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = _user(request)
    conference, organises = get_conference(user, conference_id)
    conferences.record_view(user, conference, request=request)
    items = list(conference.items.select_related("case__category"))
    if conference.participants.filter(person=user).exists():
        visible = {item.case_id for item in items}  # those invited read every case on the list
    else:
        visible = set(
            cases_visible_to(user).filter(pk__in=[i.case_id for i in items]).values_list("pk", flat=True)
        )
    context: dict[str, Any] = {
        "conference": conference,
        "organises": organises,
        "times": _both_zones(conference.starts_at),
        "items": [
            (item, item.case_id in visible, SummaryForm(initial={"summary": item.summary})) for item in items
        ],
        "participants": conference.participants.select_related("person"),
    }
    if organises:
        context["case_form"] = ConferenceCaseForm(
            cases=discussable_cases(user).select_related("category").order_by("-submitted_at")
        )
        context["invite_form"] = InviteForm(people=_invitable())
    return render(request, "consultations/conference_detail.html", context)


def _organised(request: HttpRequest, conference_id: int) -> tuple[User, Any]:
    user = _user(request)
    conference, organises = get_conference(user, conference_id)
    if not organises:
        raise PermissionDenied
    return user, conference


def _back(conference: Any) -> HttpResponse:
    return HttpResponseRedirect(reverse("consultations:conference", args=[conference.pk]))


@login_required
@require_POST
def conference_add_case(request: HttpRequest, conference_id: int) -> HttpResponse:
    user, conference = _organised(request, conference_id)
    form = ConferenceCaseForm(request.POST, cases=discussable_cases(user))
    if not form.is_valid():
        messages.error(request, _("Choose a case from the list."))
        return _back(conference)
    try:
        conferences.add_case(user, conference, form.cleaned_data["case"], request=request)
    except ActionError as error:
        messages.error(request, str(error.message))
    return _back(conference)


@login_required
@require_POST
def conference_invite(request: HttpRequest, conference_id: int) -> HttpResponse:
    user, conference = _organised(request, conference_id)
    form = InviteForm(request.POST, people=_invitable())
    if form.is_valid():
        count = conferences.invite(user, conference, form.cleaned_data["people"], request=request)
        messages.success(
            request,
            ngettext("%(count)s person invited.", "%(count)s people invited.", count) % {"count": count},
        )
    else:
        messages.error(request, _("Choose the people to invite."))
    return _back(conference)


@login_required
def conference_withdraw(request: HttpRequest, conference_id: int, person_id: int) -> HttpResponse:
    """Asks first: only a POST that confirms withdraws the invitation; anything else asks."""
    user, conference = _organised(request, conference_id)
    participant = get_invitation(conference, person_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            conferences.withdraw_invitation(user, participant, request=request)
        except ActionError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("%(name)s is no longer invited.") % {"name": participant.person.full_name},
            )
        return _back(conference)
    return render(
        request,
        "consultations/conference_withdraw.html",
        {"conference": conference, "participant": participant},
    )


@login_required
@require_POST
def conference_attendance(request: HttpRequest, conference_id: int) -> HttpResponse:
    user, conference = _organised(request, conference_id)
    try:
        present = [int(value) for value in request.POST.getlist("present")]
        conferences.record_attendance(user, conference, present, request=request)
    except ValueError:
        messages.error(request, _("Only invited people can be marked present."))
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Attendance saved."))
    return _back(conference)


@login_required
@require_POST
def conference_summary(request: HttpRequest, conference_id: int, item_id: int) -> HttpResponse:
    user, conference = _organised(request, conference_id)
    item = conference.items.select_related("case").filter(pk=item_id).first()
    if item is None:
        raise Http404
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            conferences.summarise(user, item, form.cleaned_data["summary"], request=request)
        except ActionError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Summary saved."))
    else:
        messages.error(request, _("Write the summary first."))
    return _back(conference)
