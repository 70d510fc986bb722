"""Case conferences: schedule, draw the case list from the cases sent (open or closed), take a case
off it (after asking), invite, withdraw an invitation (after asking), mark attendance, summarise.
The choices offer only what is not on the conference yet; the organisers are warned of those
invited whom the patient's consent keeps from a listed case."""

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
    consent_allows,
    discussable_cases,
    get_conference,
    get_invitation,
)
from consultations.actions import conferences
from consultations.forms import ConferenceCaseForm, ConferenceForm, InviteForm, SummaryForm
from consultations.models import Conference, ConferenceCase
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


def _not_yet_invited(conference: Conference) -> Any:
    """The choice offers only those not invited yet (the organiser is invited when she schedules)."""
    return (
        _invitable()
        .exclude(pk__in=conference.participants.values("person_id"))
        .exclude(pk=conference.organiser_id)
    )


def _not_yet_listed(user: User, conference: Conference) -> Any:
    return (
        discussable_cases(user)
        .exclude(pk__in=conference.items.values("case_id"))
        .select_related("category")
        .order_by("-submitted_at")
    )


def _warn_of_consent(request: HttpRequest, gaps: list[conferences.ConsentGap]) -> None:
    for gap in gaps:
        messages.warning(request, gap.message())


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
    visible = set(
        cases_visible_to(user).filter(pk__in=[i.case_id for i in items]).values_list("pk", flat=True)
    )
    if conference.participants.filter(person=user).exists():
        # Those invited read the cases on the list that the patient's consent lets them read.
        visible |= {item.case_id for item in items if consent_allows(item.case, user)}
    gaps: dict[int, list[str]] = {}
    if organises:
        for gap in conferences.consent_gaps(conference, cases=[item.case for item in items]):
            gaps.setdefault(gap.case.pk, []).append(gap.message())
    context: dict[str, Any] = {
        "conference": conference,
        "organises": organises,
        "times": _both_zones(conference.starts_at),
        "items": [
            (
                item,
                item.case_id in visible,
                SummaryForm(initial={"summary": item.summary}),
                gaps.get(item.case_id, []),
            )
            for item in items
        ],
        "participants": conference.participants.select_related("person"),
    }
    if organises:
        context["case_form"] = ConferenceCaseForm(cases=_not_yet_listed(user, conference))
        context["invite_form"] = InviteForm(people=_not_yet_invited(conference))
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
    # Validated against every case the organiser may list, not only those offered: a case
    # listed meanwhile (another tab) gets the action's own answer, "already on the list".
    case = form.cleaned_data["case"]
    try:
        conferences.add_case(user, conference, case, request=request)
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(case)s is on the list.") % {"case": case.code})
        _warn_of_consent(request, conferences.consent_gaps(conference, cases=[case]))
    return _back(conference)


def _listed(conference: Conference, item_id: int) -> ConferenceCase:
    """A case on the list of a conference the caller was allowed to load; 404 otherwise."""
    item = conference.items.select_related("case__category").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


@login_required
def conference_remove_case(request: HttpRequest, conference_id: int, item_id: int) -> HttpResponse:
    """Asks first: only a POST that confirms takes the case off the list; anything else asks."""
    user, conference = _organised(request, conference_id)
    item = _listed(conference, item_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            conferences.remove_case(user, item, request=request)
        except ActionError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("%(case)s is off the list.") % {"case": item.case.code})
        return _back(conference)
    return render(
        request,
        "consultations/conference_remove_case.html",
        {"conference": conference, "item": item},
    )


@login_required
@require_POST
def conference_invite(request: HttpRequest, conference_id: int) -> HttpResponse:
    user, conference = _organised(request, conference_id)
    # Validated against everyone who may be invited, not only those offered: someone invited
    # meanwhile (another tab) is simply not invited twice.
    form = InviteForm(request.POST, people=_invitable())
    if form.is_valid():
        invited_before = set(conference.participants.values_list("person_id", flat=True))
        new = [person for person in form.cleaned_data["people"] if person.pk not in invited_before]
        count = conferences.invite(user, conference, new, request=request)
        if count:
            messages.success(
                request,
                ngettext("%(count)s person invited.", "%(count)s people invited.", count) % {"count": count},
            )
            _warn_of_consent(request, conferences.consent_gaps(conference, people=new))
        else:
            messages.info(request, _("Everyone you chose was already invited."))
    else:
        messages.error(request, _("Choose the people to invite."))
    return _back(conference)


@login_required
def conference_withdraw(request: HttpRequest, conference_id: int, person_id: int) -> HttpResponse:
    """Asks first: only a POST that confirms withdraws the invitation; anything else asks."""
    user, conference = _organised(request, conference_id)
    participant = get_invitation(conference, person_id)
    if participant.person_id == conference.organiser_id:
        messages.error(request, _("The organiser stays invited to the conference."))
        return _back(conference)
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
    item = _listed(conference, item_id)
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
