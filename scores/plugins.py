"""What the scores app adds to the shared pages (core.plugins)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from consultations.access import CaseAccess
from consultations.models import Status
from core.plugins import case_section, nav_entry
from scores.templatetags.scores_tags import case_scores

nav_entry("scores:list", _("Scores"), order=30)


@case_section("scores", order=10)
def scores_on_the_case(request: HttpRequest, access: CaseAccess) -> str:
    # Findings are entered by the people who examine the patient or answer the case.
    can_enter_findings = (
        access.in_referring_team or access.is_answering_consultant
    ) and access.case.status != Status.CLOSED
    return render_to_string(
        "scores/case_scores.html", case_scores(access.case, can_enter_findings), request=request
    )
