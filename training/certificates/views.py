"""Certificate pages: thin; rules in actions.py, who reaches what in access.py, and the public
check in verification.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role, User
from core.errors import ActionError, FieldErrors
from training.certificates import access, actions, verification
from training.certificates.codes import parse, shown
from training.certificates.forms import LookupForm, MilestoneForm, RevokeForm, TraineeChooser
from training.certificates.printing import certificate_pdf, file_name

LIST_LENGTH = 100
SESSIONS_SHOWN = 20


# Every view but the public ones is login_required: the person is signed in.
def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _show_errors(form: forms.Form, refused: FieldErrors) -> None:
    for error in refused.errors:
        name = error.get("field")
        form.add_error(name if name in form.fields else None, error["message"])


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "certificates": access.own_certificates(user)[:LIST_LENGTH],
        "is_coordinator": user.has_role(Role.COORDINATOR),
    }
    return render(request, "training_certificates/mine.html", context)


@login_required
def issued(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_coordinator(user)
    context = {
        "certificates": access.issued_by_institutions_of(user)[:LIST_LENGTH],
        "sessions": access.sessions_to_certify(user)[:SESSIONS_SHOWN],
    }
    return render(request, "training_certificates/issued.html", context)


@login_required
@require_POST
def issue_for_session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    session = access.get_session_to_certify(user, session_id)
    try:
        issued_now = actions.issue_for_session(user, session, request=request)
    except ActionError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s certificate issued; its holder is told.",
                "%(count)s certificates issued; their holders are told.",
                len(issued_now),
            )
            % {"count": len(issued_now)},
        )
    return HttpResponseRedirect(reverse("training_certificates:issued"))


@login_required
@require_http_methods(["GET", "POST"])
def issue_milestone(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_coordinator(user)
    if request.method == "POST":
        form = MilestoneForm(user, request.POST)
        if form.is_valid():
            try:
                certificate = actions.issue_milestone(
                    user, form.cleaned_data["enrolment"], form.cleaned_data["stage"], request=request
                )
            except ActionError as refused:
                form.add_error(None, str(refused.message))
            else:
                messages.success(
                    request,
                    _("Certificate %(code)s issued; its holder is told.") % {"code": certificate.shown_code},
                )
                return HttpResponseRedirect(reverse("training_certificates:issued"))
        chooser = TraineeChooser(user, initial={"enrolment": form.chosen})
    else:
        # The trainee first (a GET form of its own), then only the milestones ready to certify.
        chooser = TraineeChooser(user, request.GET if "for-enrolment" in request.GET else None)
        chosen = chooser.chosen()
        form = MilestoneForm(user, initial={"enrolment": chosen.pk if chosen else None})
    context = {"chooser": chooser, "form": form}
    return render(request, "training_certificates/issue_milestone.html", context)


@login_required
def download(request: HttpRequest, code: str) -> HttpResponse:
    certificate = access.get_certificate(_user(request), code)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(certificate)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    certificate = access.get_certificate_to_revoke(user, code)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.revoke(user, certificate, form.cleaned_data["reason"], request=request)
        except FieldErrors as refused:
            _show_errors(form, refused)
        except ActionError as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(request, _("Certificate %(code)s revoked.") % {"code": certificate.shown_code})
            return HttpResponseRedirect(reverse("training_certificates:issued"))
    return render(request, "training_certificates/revoke.html", {"form": form, "certificate": certificate})


# --- The public check: no sign-in, never indexed, rate-limited per address ------------------------
def _public(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"  # a revocation shows at once
    return response


def _too_many(request: HttpRequest, held: verification.HeldBack) -> HttpResponse:
    context = {"held": held, "form": LookupForm()}
    response = render(request, "training_certificates/verify.html", context, status=429)
    response["Retry-After"] = str(held.seconds)
    return _public(response)


def lookup(request: HttpRequest) -> HttpResponse:
    if "code" not in request.GET:
        return _public(render(request, "training_certificates/verify.html", {"form": LookupForm()}))
    form = LookupForm(request.GET)
    if not form.is_valid():
        return _public(render(request, "training_certificates/verify.html", {"form": form}, status=400))
    stored = parse(form.cleaned_data["code"])
    if stored:
        return HttpResponseRedirect(reverse("training_certificates:verify", args=[shown(stored)]))
    return verify(request, form.cleaned_data["code"])


def verify(request: HttpRequest, code: str) -> HttpResponse:
    verdict = verification.check(request, code)
    if isinstance(verdict, verification.HeldBack):
        return _too_many(request, verdict)
    context = {"verdict": verdict, "form": LookupForm(initial={"code": verdict.code})}
    status = 200 if verdict.found else 404
    return _public(render(request, "training_certificates/verify.html", context, status=status))
