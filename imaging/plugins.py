"""What the imaging app adds to the shared pages (core.plugins)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from consultations.access import CaseAccess
from core.plugins import case_section, demo_loader
from imaging.demo import load_demo
from imaging.templatetags.imaging_tags import case_imaging


@case_section("imaging", order=20)
def imaging_on_the_case(request: HttpRequest, access: CaseAccess) -> str:
    return render_to_string("imaging/_case_section.html", case_imaging(request.user, access), request=request)


@demo_loader("imaging", after=["consultations"])
def demo_imaging() -> str:
    return load_demo()
