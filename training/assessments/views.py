"""The assessment pages: thin; the rules are in actions, who sees what in access."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role, User
from core.errors import ActionError, FieldErrors
from training import access as training_access
from training.actions import local_today
from training.assessments import access, actions
from training.assessments.forms import CompleteForm, DeclineForm, ProgrammeFilter, RequestForm, WhereForm
from training.assessments.models import Status
from training.assessments.queries import assessor_counts

LIST_LENGTH = 50


# Every view below is login_required: the person is signed in.
def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _show(form: forms.Form, refused: FieldErrors | ActionError) -> None:
    if isinstance(refused, ActionError):
        form.add_error(None, str(refused.message))
        return
    for error in refused.errors:
        name = error.get("field")
        form.add_error(name if name in form.fields else None, error["message"])


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_assessments_role(user)
    visible = access.visible_to(user)
    enrolment = None
    wanted = request.GET.get("enrolment", "")
    if wanted:
        # One trainee's programme (the link on its progress page); one not visible is not there.
        enrolment = training_access.get_enrolment(user, int(wanted)) if wanted.isdigit() else None
        if enrolment is None:
            raise Http404
        visible = visible.filter(enrolment=enrolment)
    assessments = visible.select_related(*access.RELATED).order_by("-requested_at", "-pk")[:LIST_LENGTH]
    context = {
        "assessments": assessments,
        "enrolment": enrolment,
        "may_request": training_access.own_enrolments(user).exists(),
        "waiting": access.to_complete(user).count(),
        "is_coordinator": user.has_role(Role.COORDINATOR),
        "me": user.pk,
    }
    return render(request, "training_assessments/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_assessment(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not training_access.own_enrolments(user).exists():
        raise PermissionDenied  # only an enrolled trainee asks for an assessment
    if request.method == "POST":
        form = RequestForm(user, request.POST)
        if form.is_valid():
            data = actions.RequestData(**form.request_fields())
            try:
                assessment = actions.request_assessment(user, data, request=request)
            except (FieldErrors, ActionError) as refused:
                _show(form, refused)
            else:
                messages.success(request, _("Request sent; the assessor is notified."))
                return HttpResponseRedirect(reverse("training_assessments:detail", args=[assessment.pk]))
        where = WhereForm(user, initial={name: form.data.get(name) for name in ("enrolment", "institution")})
    else:
        # The programme and hospital first (a GET form of their own), then the assessors there.
        where = WhereForm(user, request.GET if "where-institution" in request.GET else None)
        form = RequestForm(user, initial={"observed_on": local_today(user)} | where.chosen())
    context = {"form": form, "where": where, "hospital": form.institution_chosen}
    return render(request, "training_assessments/request_form.html", context)


@login_required
def to_complete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_assessments_role(user)
    waiting = access.to_complete(user).select_related(*access.RELATED)[:LIST_LENGTH]
    return render(request, "training_assessments/to_complete.html", {"assessments": waiting})


@login_required
def detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = _user(request)
    assessment = access.get_assessment(user, assessment_id)
    context = {
        "assessment": assessment,
        "may_answer": assessment.assessor_id == user.pk and assessment.status == Status.REQUESTED,
    }
    return render(request, "training_assessments/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = _user(request)
    assessment = access.get_assessment_to_complete(user, assessment_id)
    if assessment.status != Status.REQUESTED:
        messages.info(request, _("This assessment has already been answered."))
        return HttpResponseRedirect(reverse("training_assessments:detail", args=[assessment.pk]))
    form = CompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.complete_assessment(
                user,
                assessment,
                data["rating"],
                data["narrative"],
                data["went_well"],
                data["to_develop"],
                request=request,
            )
        except (FieldErrors, ActionError) as refused:
            _show(form, refused)
        else:
            messages.success(request, _("Assessment completed; the trainee is told."))
            return HttpResponseRedirect(reverse("training_assessments:to_complete"))
    context = {"assessment": assessment, "form": form, "decline_form": DeclineForm()}
    return render(request, "training_assessments/complete.html", context)


@login_required
@require_POST
def decline(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = _user(request)
    assessment = access.get_assessment_to_complete(user, assessment_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            actions.decline_assessment(user, assessment, form.cleaned_data["reason"], request=request)
        except (FieldErrors, ActionError) as refused:
            _show(form, refused)
        else:
            messages.success(request, _("Assessment declined; the trainee is told why."))
            return HttpResponseRedirect(reverse("training_assessments:to_complete"))
    # Refused: the same page again, with the reason as typed and what is wrong with it.
    context = {"assessment": assessment, "form": CompleteForm(), "decline_form": form, "declining": True}
    return render(request, "training_assessments/complete.html", context, status=200)


@login_required
def assessors(request: HttpRequest) -> HttpResponse:
    programmes = access.coordinated_programmes(_user(request))
    chooser = ProgrammeFilter(programmes, request.GET or None)
    chosen = programmes
    if chooser.is_valid() and chooser.cleaned_data["programme"]:
        chosen = programmes.filter(pk=chooser.cleaned_data["programme"].pk)
    context = {"chooser": chooser, "counts": assessor_counts(chosen)}
    return render(request, "training_assessments/assessors.html", context)
