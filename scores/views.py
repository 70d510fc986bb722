"""The calculators section: every score on its own, on a phone, in three languages."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from consultations.access import get_case_for_user
from scores import actions
from scores.case_scores import findings_fields_for, record_findings
from scores.content import text
from scores.findings_forms import FindingsForm
from scores.forms import calculator_form
from scores.library import CALCULATORS, InputError
from scores.messages import explain
from scores.models import CaseFindings
from scores.present import calculator_text, present


def _language() -> str:
    return get_language() or "en"


@login_required
def calculator_list(request: HttpRequest) -> HttpResponse:
    language = _language()
    families = [
        (
            text(f"family.{family}", language),
            [
                (c.code, calculator_text(c, "name", language), calculator_text(c, "summary", language))
                for c in group
            ],
        )
        for family, group in groupby(
            sorted(CALCULATORS.values(), key=lambda c: c.family), key=lambda c: c.family
        )
    ]
    return render(
        request,
        "scores/calculator_list.html",
        {"families": families, "crash": text("crash.unavailable", language)},
    )


@login_required
def calculator_page(request: HttpRequest, code: str) -> HttpResponse:
    calculator = CALCULATORS.get(code)
    if calculator is None:
        raise Http404
    language = _language()
    asked = "calculate" in request.GET
    form = calculator_form(calculator, language, request.GET if asked else None)
    context: dict[str, Any] = {
        "calculator": calculator,
        "name": calculator_text(calculator, "name", language),
        "summary": calculator_text(calculator, "summary", language),
        "population": calculator_text(calculator, "population", language),
        "limits": calculator_text(calculator, "limits", language),
        "references": calculator.references,
        "form": form,
        "result": None,
    }
    status = 400 if asked and not form.is_valid() else 200
    if asked and form.is_valid():
        try:
            result = calculator(form.cleaned_data)
        except InputError as error:
            form.add_error(
                error.field if error.field in form.fields else None, explain(error, code, language)
            )
            status = 400
        else:
            context["result"] = present(calculator, result, language)
    return render(request, "scores/calculator.html", context, status=status)


@login_required
def case_findings(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    access = get_case_for_user(user, code)  # type: ignore[arg-type]
    if not (access.in_referring_team or access.is_answering_consultant):
        raise PermissionDenied
    existing = CaseFindings.objects.filter(case=access.case).first()
    asked = findings_fields_for(access.case.category)
    form_class = forms.modelform_factory(CaseFindings, form=FindingsForm, fields=asked)
    form = form_class(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in asked}
        try:
            recorded = record_findings(access, user, values, request=request)  # type: ignore[arg-type]
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Findings saved; the scores were recalculated."))
            for notice in recorded.notices:
                messages.warning(request, notice)
            return HttpResponseRedirect(reverse("consultations:case", args=[access.case.code]) + "#scores")
    if request.method != "POST" and existing is not None:
        # The form shows the stored findings; a refused POST shows only what was sent.
        actions.record_read(actions.FINDINGS_READ, access, user, request)  # type: ignore[arg-type]
    return render(
        request,
        "scores/findings_form.html",
        {"form": form, "case": access.case},
        status=400 if request.method == "POST" else 200,
    )
