"""What the imaging app adds to the shared pages (core.plugins)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from consultations.access import CaseAccess
from core.plugins import case_section, case_summary, demo_loader
from imaging.access import ImagingAccess
from imaging.demo import load_demo
from imaging.templatetags.imaging_tags import case_imaging


@case_section("imaging", order=20)
def imaging_on_the_case(request: HttpRequest, access: CaseAccess) -> str:
    return render_to_string("imaging/_case_section.html", case_imaging(request.user, access), request=request)


@case_summary("imaging", order=20)
def key_images_in_brief(request: HttpRequest, access: CaseAccess) -> str:
    """Beside the opinion form: the shared series' thumbnails, each opening the viewer. Only what
    goes abroad, whoever reads: shared studies, series not held back and reviewed where needed."""
    user = request.user
    assert isinstance(user, User)  # the opinion page signs its reader in first  # noqa: S101
    imaging = ImagingAccess(user=user, case_access=access)
    series = (
        imaging.series()
        .filter(study__shared_at__isnull=False, excluded=False)
        .filter(Q(suspicions=[]) | Q(reviewed_at__isnull=False))
        .order_by("study_id", "number", "pk")[:12]
    )
    code = access.case.code
    rows = [
        {
            "series": s,
            "viewer_url": reverse("imaging:viewer", args=[code, s.pk]),
            "thumbnail_url": reverse("imaging:thumbnail", args=[code, s.pk]),
        }
        for s in series
    ]
    if not rows:
        return ""
    return render_to_string("imaging/_case_summary.html", {"series": rows}, request=request)


@demo_loader("imaging", after=["consultations"])
def demo_imaging() -> str:
    return load_demo()
