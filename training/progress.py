"""A trainee's counts against the programme's requirements, validated and all, by supervision
level. A fixed number of queries, whatever the number of entries (aggregated in the database)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from training.codes import ORDER, at_or_above
from training.models import Enrolment, EntryStatus, LogbookEntry, ProcedureGroup, Requirement


@dataclass(frozen=True)
class Tally:
    validated: int
    total: int

    @property
    def percent_validated(self) -> int:
        return round(100 * self.validated / self.total) if self.total else 0


@dataclass(frozen=True)
class RequirementRow:
    level: str
    minimum: int
    tally: Tally

    @property
    def met(self) -> bool:
        return self.tally.validated >= self.minimum


@dataclass(frozen=True)
class GroupRow:
    group: ProcedureGroup
    by_code: list[tuple[str, Tally]]
    requirements: list[RequirementRow]


def totals(entries: QuerySet[LogbookEntry]) -> Tally:
    """Entries logged (rejected ones left out) and how many of them are validated."""
    counts = dict(
        entries.exclude(status=EntryStatus.REJECTED)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return Tally(counts.get(EntryStatus.CONFIRMED, 0), sum(counts.values()))


def progress_of(enrolment: Enrolment) -> dict[str, Any]:
    rows = (
        LogbookEntry.objects.filter(enrolment=enrolment)
        .exclude(status=EntryStatus.REJECTED)
        .values("procedures__group", "supervision", "status")
        .annotate(n=Count("id", distinct=True))  # an entry of two procedures of a group counts once
    )
    counted: dict[tuple[int, str], list[int]] = {}
    for row in rows:
        slot = counted.setdefault((row["procedures__group"], row["supervision"]), [0, 0])
        slot[1] += row["n"]
        if row["status"] == EntryStatus.CONFIRMED:
            slot[0] += row["n"]
    requirements: dict[int, list[Requirement]] = {}
    for requirement in Requirement.objects.filter(programme_id=enrolment.programme_id):
        requirements.setdefault(requirement.group_id, []).append(requirement)
    group_ids = {group_id for group_id, _ in counted} | set(requirements)
    groups = []
    for group in ProcedureGroup.objects.filter(pk__in=group_ids):

        def tally(codes: tuple[str, ...], group_id: int = group.pk) -> Tally:
            pairs = [counted.get((group_id, code), [0, 0]) for code in codes]
            return Tally(sum(p[0] for p in pairs), sum(p[1] for p in pairs))

        groups.append(
            GroupRow(
                group,
                [(code, tally((code,))) for code in ORDER],
                [
                    RequirementRow(r.level, r.minimum, tally(at_or_above(r.level)))
                    for r in sorted(requirements.get(group.pk, []), key=lambda r: ORDER.index(r.level))
                ],
            )
        )
    return {
        "groups": groups,
        "codes": ORDER,
        "overall": totals(LogbookEntry.objects.filter(enrolment=enrolment)),
    }
