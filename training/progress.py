"""A trainee's counts against the programme's requirements, validated and all, by supervision
level, and the autonomy curve: the share of entries performed without a trainer or teaching a
junior (P, T) by quarter, per procedure group. A fixed number of queries, whatever the number of
entries (counted in the database, grouped by group, quarter, code and status)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lib.charts import Bar, Series, bar_chart, line_chart
from training.codes import ORDER, at_or_above
from training.models import Enrolment, EntryStatus, LogbookEntry, ProcedureGroup, Programme, Requirement

INDEPENDENT = ("P", "T")
QUARTERS_SHOWN = 12  # three years: the curve of a residency


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
class Quarter:
    starts: date
    independent: Tally  # P and T entries: validated, all
    total: Tally  # all entries: validated, all

    @property
    def label(self) -> str:
        return _("%(year)s Q%(quarter)s") % {
            "year": self.starts.year,
            "quarter": (self.starts.month + 2) // 3,
        }

    @property
    def share(self) -> int | None:
        """Of all entries logged in the quarter, the percentage at P or T (None: none logged)."""
        return round(100 * self.independent.total / self.total.total) if self.total.total else None

    @property
    def share_validated(self) -> int | None:
        if not self.total.validated:
            return None
        return round(100 * self.independent.validated / self.total.validated)


@dataclass(frozen=True)
class GroupRow:
    group: ProcedureGroup
    by_code: list[tuple[str, Tally]]
    requirements: list[RequirementRow]
    quarters: list[Quarter] = field(default_factory=list)

    @property
    def autonomy_chart(self) -> SafeString:
        return autonomy_chart(f"autonomy-{self.group.code}", self.group.name, self.quarters)

    @property
    def requirements_chart(self) -> SafeString | None:
        return requirements_chart(f"requirements-{self.group.code}", self.group.name, self.requirements)


def totals(entries: QuerySet[LogbookEntry]) -> Tally:
    """Entries logged (rejected ones left out) and how many of them are validated."""
    counts = dict(
        entries.exclude(status=EntryStatus.REJECTED)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return Tally(counts.get(EntryStatus.CONFIRMED, 0), sum(counts.values()))


def _quarter_starts(first: date, last: date) -> list[date]:
    starts, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        starts.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 10 else (year, month + 3)
    return starts[-QUARTERS_SHOWN:]


Counts = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def entry_counts(enrolment: Enrolment) -> Counts:
    """The enrolment's entries (rejected ones left out) counted by group, quarter, code and status
    (each entry once per group), and by quarter, code and status (each entry once): every figure
    of the progress page and of the autonomy curve is a sum of these two queries' rows."""
    entries = (
        LogbookEntry.objects.filter(enrolment=enrolment)
        .exclude(status=EntryStatus.REJECTED)
        .annotate(quarter=TruncQuarter("performed_on"))
    )
    by_group = list(
        entries.values("procedures__group", "quarter", "supervision", "status").annotate(
            n=Count("id", distinct=True)
        )
    )
    overall = list(entries.values("quarter", "supervision", "status").annotate(n=Count("id")))
    return by_group, overall


def autonomy_of(
    enrolment: Enrolment, counts: Counts | None = None
) -> tuple[list[date], dict[int | None, dict[date, Quarter]]]:
    """The quarters shown (with no gap: a quarter with nothing logged is shown empty) and, for
    each procedure group (None: all groups, each entry once), its figures by quarter."""
    by_group, overall = counts if counts is not None else entry_counts(enrolment)
    # (group, quarter) -> [independent validated, independent all, validated, all]
    counted: dict[tuple[int | None, date], list[int]] = {}
    for rows, grouped in ((by_group, True), (overall, False)):
        for row in rows:
            if grouped and row["procedures__group"] is None:
                continue
            quarter = row["quarter"]
            if not isinstance(quarter, date):  # SQLite may answer a string
                quarter = date.fromisoformat(str(quarter)[:10])
            slot = counted.setdefault((row["procedures__group"] if grouped else None, quarter), [0, 0, 0, 0])
            independent = row["supervision"] in INDEPENDENT
            validated = row["status"] == EntryStatus.CONFIRMED
            slot[0] += row["n"] if independent and validated else 0
            slot[1] += row["n"] if independent else 0
            slot[2] += row["n"] if validated else 0
            slot[3] += row["n"]
    if not counted:
        return [], {}
    quarters = [quarter for _, quarter in counted]
    shown = _quarter_starts(min(quarters), max(quarters))
    result: dict[int | None, dict[date, Quarter]] = {}
    for (group_id, quarter), (iv, ia, v, a) in counted.items():
        if quarter in shown:
            result.setdefault(group_id, {})[quarter] = Quarter(quarter, Tally(iv, ia), Tally(v, a))
    return shown, result


def _filled(shown: list[date], found: dict[date, Quarter]) -> list[Quarter]:
    return [found.get(q) or Quarter(q, Tally(0, 0), Tally(0, 0)) for q in shown]


def autonomy_chart(ident: str, name: str, quarters: list[Quarter]) -> SafeString:
    """The autonomy curve as an SVG line chart, described in words for a screen reader."""
    said = "; ".join(
        _("%(quarter)s: %(share)s of %(count)s entries")
        % {
            "quarter": q.label,
            "share": f"{q.share}%",
            "count": q.total.total,
        }
        if q.share is not None
        else _("%(quarter)s: no entry") % {"quarter": q.label}
        for q in quarters
    )
    svg = line_chart(
        ident,
        title=_("Autonomy curve: %(group)s") % {"group": name},
        desc=_(
            "Share of entries performed without a trainer or teaching a junior (P or T), by quarter. %(figures)s."
        )
        % {"figures": said},
        x_labels=[q.label for q in quarters],
        series=[
            Series(_("All logged"), [q.share for q in quarters]),
            Series(_("Validated"), [q.share_validated for q in quarters]),
        ],
        x_label=_("Quarter"),
        y_label=_("P or T"),
    )
    return mark_safe(svg)  # noqa: S308 - drawn by lib.charts, every text in it escaped


def requirements_chart(ident: str, name: str, rows: list[RequirementRow]) -> SafeString | None:
    if not rows:
        return None
    said = "; ".join(
        _("%(level)s or above: %(validated)s validated of %(total)s logged, %(minimum)s required")
        % {"level": r.level, "validated": r.tally.validated, "total": r.tally.total, "minimum": r.minimum}
        for r in rows
    )
    svg = bar_chart(
        ident,
        title=_("Requirements: %(group)s") % {"group": name},
        desc=said + ".",
        bars=[Bar(f"≥ {r.level}", r.tally.validated, r.tally.total, r.minimum) for r in rows],
        x_label=_("Supervision level"),
        y_label=_("Entries"),
        value_name=_("Validated"),
        total_name=_("Logged"),
        target_name=_("Minimum"),
    )
    return mark_safe(svg)  # noqa: S308 - drawn by lib.charts, every text in it escaped


def progress_of(enrolment: Enrolment) -> dict[str, Any]:
    counts = entry_counts(enrolment)
    by_group, overall_rows = counts
    counted: dict[tuple[int, str], list[int]] = {}
    for row in by_group:  # an entry of two procedures of a group counts once (distinct)
        if row["procedures__group"] is None:
            continue
        slot = counted.setdefault((row["procedures__group"], row["supervision"]), [0, 0])
        slot[1] += row["n"]
        if row["status"] == EntryStatus.CONFIRMED:
            slot[0] += row["n"]
    requirements: dict[int, list[Requirement]] = {}
    for requirement in Requirement.objects.filter(programme_id=enrolment.programme_id):
        requirements.setdefault(requirement.group_id, []).append(requirement)
    shown, autonomy = autonomy_of(enrolment, counts)
    group_ids = {group_id for group_id, _ in counted} | set(requirements)
    groups = []
    for group in ProcedureGroup.objects.filter(pk__in=group_ids):

        def tally(codes: tuple[str, ...], group_id: int = group.pk) -> Tally:
            pairs = [counted.get((group_id, code), [0, 0]) for code in codes]
            return Tally(sum(p[0] for p in pairs), sum(p[1] for p in pairs))

        quarters = _filled(shown, autonomy.get(group.pk, {})) if group.pk in autonomy else []

        groups.append(
            GroupRow(
                group,
                [(code, tally((code,))) for code in ORDER],
                [
                    RequirementRow(r.level, r.minimum, tally(at_or_above(r.level)))
                    for r in sorted(requirements.get(group.pk, []), key=lambda r: ORDER.index(r.level))
                ],
                quarters,
            )
        )
    return {
        "overall_chart": autonomy_chart(
            "autonomy-all", _("all procedures"), _filled(shown, autonomy.get(None, {}))
        )
        if shown
        else None,
        "groups": groups,
        "codes": ORDER,
        # Sums of the rows already counted: no more queries (rejected ones are left out there).
        "overall": Tally(
            sum(r["n"] for r in overall_rows if r["status"] == EntryStatus.CONFIRMED),
            sum(r["n"] for r in overall_rows),
        ),
        "awaiting_recognition": sum(r["n"] for r in overall_rows if r["status"] == EntryStatus.ABROAD),
        "quarters": _filled(shown, autonomy.get(None, {})) if shown else [],
    }


# --- Programme directors: their trainees side by side ------------------------------------------
@dataclass(frozen=True)
class TraineeRow:
    enrolment: Enrolment
    requirements_met: int
    requirements: int
    overall: Tally
    independent_recent: Tally  # P or T of the last 12 months' entries: validated, all
    recent: Tally  # the last 12 months' entries: validated, all
    waiting: int  # for the supervisor's decision or the trainee's answer

    @property
    def share_recent(self) -> int | None:
        return round(100 * self.independent_recent.total / self.recent.total) if self.recent.total else None


def side_by_side(programme: Programme, today: date) -> list[TraineeRow]:
    """Each active trainee of the programme: requirements met (by validated entries), entries
    validated of all, the share at P or T over the last 12 months, entries waiting. Four queries
    whatever the number of trainees and entries."""
    enrolments = list(
        Enrolment.objects.filter(programme=programme, is_active=True)
        .select_related("trainee", "stage", "institution")
        .order_by("trainee__full_name")
    )
    ids = [e.pk for e in enrolments]
    cutoff = today - timedelta(days=365)
    kept = LogbookEntry.objects.filter(enrolment_id__in=ids).exclude(status=EntryStatus.REJECTED)
    figures: dict[int, dict[str, int]] = {
        pk: dict.fromkeys(("v", "a", "iv", "ia", "rv", "ra", "w"), 0) for pk in ids
    }
    for row in kept.values("enrolment", "supervision", "status").annotate(
        n=Count("id"), recent=Count("id", filter=Q(performed_on__gte=cutoff))
    ):
        slot = figures[row["enrolment"]]
        validated = row["status"] == EntryStatus.CONFIRMED
        independent = row["supervision"] in INDEPENDENT
        slot["a"] += row["n"]
        slot["v"] += row["n"] if validated else 0
        slot["ra"] += row["recent"]
        slot["rv"] += row["recent"] if validated else 0
        slot["ia"] += row["recent"] if independent else 0
        slot["iv"] += row["recent"] if independent and validated else 0
        slot["w"] += row["n"] if row["status"] in (EntryStatus.PENDING, EntryStatus.QUERIED) else 0
    # (enrolment, group, code) -> validated entries, each entry once per group
    validated_by: dict[tuple[int, int, str], int] = {}
    for row in (
        kept.filter(status=EntryStatus.CONFIRMED)
        .values("enrolment", "procedures__group", "supervision")
        .annotate(n=Count("id", distinct=True))
    ):
        validated_by[(row["enrolment"], row["procedures__group"], row["supervision"])] = row["n"]
    requirements = list(Requirement.objects.filter(programme=programme))
    rows = []
    for enrolment in enrolments:
        slot = figures[enrolment.pk]
        met = sum(
            1
            for r in requirements
            if sum(validated_by.get((enrolment.pk, r.group_id, code), 0) for code in at_or_above(r.level))
            >= r.minimum
        )
        rows.append(
            TraineeRow(
                enrolment,
                met,
                len(requirements),
                Tally(slot["v"], slot["a"]),
                Tally(slot["iv"], slot["ia"]),
                Tally(slot["rv"], slot["ra"]),
                slot["w"],
            )
        )
    return rows
