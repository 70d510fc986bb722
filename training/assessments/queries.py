"""Lists a page and an API endpoint share: the count per assessor of a coordinator's programmes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from lib.assessment_tally import Row, Tally, tally
from training.assessments.models import Assessment
from training.models import Programme


@dataclass(frozen=True)
class AssessorCount:
    assessor: User
    tally: Tally


def assessor_counts(programmes: QuerySet[Programme]) -> list[AssessorCount]:
    """Two queries, whatever the number of assessments or assessors."""
    rows = [
        Row(*values)
        for values in Assessment.objects.filter(enrolment__programme__in=programmes).values_list(
            "assessor_id", "status", "requested_at", "due_at", "completed_at"
        )
    ]
    tallies = tally(rows, timezone.now())
    people = User.objects.in_bulk([t.assessor for t in tallies])
    return [AssessorCount(people[t.assessor], t) for t in tallies]
