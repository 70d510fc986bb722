"""Lists a page and an API endpoint share: the count per assessor of a coordinator's programmes,
and a trainee's latest entrustment per competency (EPA)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from lib.assessment_tally import Row, Tally, tally
from training.assessments.models import Assessment, Kind, Status
from training.models import Competency, Enrolment, Programme


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


@dataclass(frozen=True)
class EpaLevel:
    """A competency (EPA) of the programme: the level expected, the latest rating, how many seen."""

    competency: Competency
    latest: int | None
    observations: int

    @property
    def reached(self) -> bool:
        return self.latest is not None and self.latest >= self.competency.level_expected


def epa_levels(enrolment: Enrolment) -> list[EpaLevel]:
    """Two queries, whatever the number of assessments: the latest completed EPA observation's
    rating per competency of the trainee's programme."""
    seen: dict[int, list[int]] = {}
    rows = (
        Assessment.objects.filter(enrolment=enrolment, kind=Kind.EPA, status=Status.COMPLETED)
        .order_by("observed_on", "completed_at", "pk")
        .values_list("competency_id", "rating")
    )
    for competency_id, rating in rows:
        if competency_id is not None and rating is not None:  # completed: always rated
            seen.setdefault(competency_id, []).append(rating)
    return [
        EpaLevel(c, seen[c.pk][-1] if c.pk in seen else None, len(seen.get(c.pk, [])))
        for c in Competency.objects.filter(programme_id=enrolment.programme_id)
    ]
