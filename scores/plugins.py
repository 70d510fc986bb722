"""What the scores app adds to the shared pages (core.plugins)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consultations.access import CaseAccess
from consultations.models import Case, Status
from core.models import DiagnosisCategory
from core.plugins import case_form_section, case_section, case_summary, nav_entry
from scores.case_scores import FINDINGS_FIELDS, findings_fields_for, record_findings
from scores.findings_forms import FindingsForm
from scores.models import CaseFindings
from scores.templatetags.scores_tags import case_scores

nav_entry("scores:list", _("Scores"), order=30)


@case_section("scores", order=10)
def scores_on_the_case(request: HttpRequest, access: CaseAccess) -> str:
    # Findings are entered by the people who examine the patient or answer the case.
    can_enter_findings = (
        access.in_referring_team or access.is_answering_consultant
    ) and access.case.status != Status.CLOSED
    context = {**case_scores(access.case, can_enter_findings), "findings": findings_found(access.case)}
    return render_to_string("scores/case_scores.html", context, request=request)


def findings_found(case: Case) -> list[tuple[str, str]]:
    """The structured CT findings that were found (label, value), so a summary stays short."""
    findings = CaseFindings.objects.filter(case=case).first()
    shown: list[tuple[str, str]] = []
    if findings is not None:
        for name in findings_fields_for(case.category):
            field: Any = CaseFindings._meta.get_field(name)
            value = getattr(findings, name)
            if value in (None, "", False):
                continue
            display = getattr(findings, f"get_{name}_display", None)
            text = "" if value is True else str(display() if display else value)
            shown.append((str(field.verbose_name), text))
    return shown


# --- The structured CT findings, entered once, in the referral ---------------------------------
FINDINGS_PREFIX = "findings"


def findings_in_referral(request: HttpRequest, case: Case | None) -> FindingsForm:
    """Every findings field any category asks for: the category is chosen on the same form, so
    the page's script shows only those of the chosen one, and only those are saved."""
    existing = CaseFindings.objects.filter(case=case).first() if case is not None else None
    data = request.POST if request.method == "POST" else None
    return FindingsForm(data, instance=existing, prefix=FINDINGS_PREFIX)


def render_findings_in_referral(request: HttpRequest, form: FindingsForm) -> str:
    categories = DiagnosisCategory.objects.filter(specialty__is_active=True)
    asked_by: dict[str, list[str]] = {name: [] for name in FINDINGS_FIELDS}
    for category in categories:
        for name in findings_fields_for(category):
            asked_by[name].append(str(category.pk))
    rows = [(form[name], " ".join(asked_by[name])) for name in FINDINGS_FIELDS if asked_by[name]]
    return render_to_string(
        "scores/_findings_in_referral.html", {"form": form, "rows": rows}, request=request
    )


def save_findings_in_referral(
    access: CaseAccess, user: User, form: FindingsForm, request: HttpRequest | None
) -> None:
    if not form.has_changed():
        return  # nothing entered: no empty findings, no audit entry
    asked = findings_fields_for(access.case.category)
    if not asked:
        return
    recorded = record_findings(
        access, user, {name: form.cleaned_data[name] for name in asked}, request=request
    )
    if request is not None:
        for notice in recorded.notices:
            messages.warning(request, notice)


case_form_section(
    "scores.findings",
    order=10,
    form=findings_in_referral,
    render=render_findings_in_referral,
    save=save_findings_in_referral,
)


# --- The case in brief, beside the opinion form -------------------------------------------------
@case_summary("scores", order=10)
def scores_in_brief(request: HttpRequest, access: CaseAccess) -> str:
    context = {**case_scores(access.case, False), "findings": findings_found(access.case)}
    return render_to_string("scores/_case_summary.html", context, request=request)
