"""Opening an invitation link: create the account, or add the roles to the signed-in one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import actions
from accounts.access import get_invitation_by_token
from accounts.forms import AcceptInvitationForm
from accounts.models import User
from core.errors import ActionError


@sensitive_post_parameters("password1", "password2")
@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_invitation_by_token(token)
    problem = actions.invitation_problem(invitation) or actions.inviter_no_longer_entitled(invitation)
    if problem is not None:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"message": problem.message},
            status=problem.status,
        )
    signed_in = request.user if request.user.is_authenticated else None
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    context: dict[str, Any] = {"invitation": invitation, "signed_in": signed_in, "has_account": has_account}
    if signed_in is None and has_account:
        # The person must sign in first; the link brings them back here afterwards.
        return render(request, "accounts/invitation_sign_in.html", context)
    form = None
    if signed_in is None:
        region = invitation.institution.country.code
        form = AcceptInvitationForm(
            request.POST or None,
            email=invitation.email,
            region=region,
            initial={"full_name": invitation.full_name, "preferred_language": invitation.language},
        )
    if request.method == "POST" and (form is None or form.is_valid()):
        fields = form.cleaned_data if form is not None else {}
        try:
            person = actions.accept_invitation(
                token,
                signed_in_user=signed_in,
                full_name=fields.get("full_name", ""),
                password=fields.get("password1", ""),
                preferred_language=fields.get("preferred_language", "en"),
                time_zone=fields.get("time_zone", "Africa/Dar_es_Salaam"),
                phone=fields.get("phone", ""),
                request=request,
            )
        except ActionError as error:
            return render(
                request,
                "accounts/invitation_unusable.html",
                {"message": error.message},
                status=error.status,
            )
        except ValidationError as error:
            if form is None:
                raise
            form.add_error(None, error)
        else:
            if signed_in is None:
                login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to NeuroDaraja. You have joined %(institution)s.")
                % {"institution": invitation.institution.name},
            )
            if person.requires_two_factor and not actions.has_second_factor(person):
                return HttpResponseRedirect(reverse("accounts:two_factor_setup"))
            return HttpResponseRedirect(reverse("home"))
    context["form"] = form
    return render(
        request,
        "accounts/invitation_accept.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
