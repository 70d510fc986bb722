"""`{% epa_progress enrolment %}`: the trainee's latest entrustment per competency (EPA), for the
logbook's progress page (two queries)."""

from __future__ import annotations

from typing import Any

from django import template

from training.assessments.queries import epa_levels
from training.models import Enrolment

register = template.Library()


@register.inclusion_tag("training_assessments/_epa_progress.html")
def epa_progress(enrolment: Enrolment) -> dict[str, Any]:
    return {"levels": epa_levels(enrolment), "enrolment": enrolment}
