"""Coordinators' pages: the people of their institutions, invitations, roles, deactivation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import actions
from accounts.access import (
    get_invitation_for_manager,
    get_membership_for_manager,
    get_person_for_manager,
    managed_institutions,
    people_managed_by,
    require_people_manager,
)
from accounts.forms import AddRoleForm, InvitationForm, PeopleFilterForm
from accounts.models import Invitation, Membership, User
from core.errors import ActionError

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    people = people_managed_by(actor)
    institutions = managed_institutions(actor)
    form = PeopleFilterForm(request.GET or None, institutions=institutions)
    if form.is_valid():
        if query := form.cleaned_data["q"]:
            people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
        # One filter() so that institution and role apply to the same membership.
        membership = {}
        if institution := form.cleaned_data["institution"]:
            membership["memberships__institution"] = institution
        if role := form.cleaned_data["role"]:
            membership["memberships__role"] = role
        if membership:
            people = people.filter(**membership)
    people = (
        people.distinct()
        .order_by("full_name")
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("institution")))
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "accounts/people_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    require_people_manager(actor)
    institutions = managed_institutions(actor)
    form = InvitationForm(request.POST or None, actor=actor, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        try:
            actions.invite_person(actor, **form.cleaned_data, request=request)
        except ActionError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return HttpResponseRedirect(reverse("accounts:invitations"))
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "valid_days": settings.INVITATION_VALID_DAYS},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    actor = _user(request)
    require_people_manager(actor)
    pending = (
        Invitation.objects.filter(
            institution__in=managed_institutions(actor),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("institution", "invited_by")
        .order_by("-created_at")
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/invitations.html", {"page": page})


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = _user(request)
    invitation = get_invitation_for_manager(actor, invitation_id)
    try:
        actions.withdraw_invitation(actor, invitation, request=request)
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The invitation has been withdrawn."))
    return HttpResponseRedirect(reverse("accounts:invitations"))


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _user(request)
    person = get_person_for_manager(actor, person_id)
    institutions = managed_institutions(actor)
    form = AddRoleForm(request.POST or None, actor=actor, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_role(
                actor,
                person,
                form.cleaned_data["institution"],
                form.cleaned_data["role"],
                request=request,
            )
        except ActionError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The role has been given."))
            return HttpResponseRedirect(reverse("accounts:person", args=[person.pk]))
    memberships = person.memberships.select_related("institution").order_by("institution__name", "role")
    if not actor.is_administrator:
        memberships = memberships.filter(institution__in=institutions)
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "form": form,
            "is_self": person.pk == actor.pk,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def membership_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = _user(request)
    membership = get_membership_for_manager(actor, membership_id)
    person_id = membership.user_id
    try:
        actions.remove_role(actor, membership, request=request)
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The role has been removed."))
    return HttpResponseRedirect(reverse("accounts:person", args=[person_id]))


@login_required
@require_POST
def person_set_active(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _user(request)
    person = get_person_for_manager(actor, person_id)
    activate = request.POST.get("active") == "true"
    try:
        if activate:
            actions.reactivate_person(actor, person, request=request)
        else:
            actions.deactivate_person(actor, person, request=request)
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("The account has been reactivated.") if activate else _("The account has been deactivated."),
        )
    return HttpResponseRedirect(reverse("accounts:person", args=[person.pk]))
