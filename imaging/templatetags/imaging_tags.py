from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count
from django.urls import reverse

from consultations.access import CaseAccess
from imaging.access import ImagingAccess
from imaging.queries import more_to_come, sharing_state

register = template.Library()


@register.inclusion_tag("imaging/_case_section.html")
def case_imaging(user: Any, access: CaseAccess) -> dict[str, Any]:
    """The imaging section of the case page: what this person may see, and where to go."""
    imaging = ImagingAccess(user=user, case_access=access)
    series = list(imaging.series().annotate(instance_count=Count("instances"))[:12])
    case = access.case
    state = sharing_state(imaging)
    return {
        "case": case,
        "manages": imaging.manages,
        "series": [
            {
                "series": s,
                "count": s.instance_count,
                "viewer_url": reverse("imaging:viewer", args=[case.code, s.pk]),
                "thumbnail_url": reverse("imaging:thumbnail", args=[case.code, s.pk]),
            }
            for s in series
        ],
        "awaiting_review": any(s.awaits_review for s in series) if imaging.manages else False,
        "unshared": imaging.manages and imaging.studies().filter(shared_at__isnull=True).exists(),
        "synthetic": any(s.study.is_synthetic for s in series),
        "state": state,
        "more": None if imaging.manages or not series else more_to_come(imaging),
        "imaging_url": reverse("imaging:case", args=[case.code]),
    }
