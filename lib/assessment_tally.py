"""The count per assessor of workplace-based assessments (pure: no Django).

For each assessor: how many they completed, how many they declined, how many wait, how many of
those are overdue, and the median number of days from the request to the completion (the time a
trainee waits for feedback, which is what makes assessments used or ignored).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median

SECONDS_A_DAY = 86400


@dataclass(frozen=True)
class Row:
    assessor: int
    status: str  # requested, completed or declined
    requested_at: datetime
    due_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class Tally:
    assessor: int
    completed: int
    declined: int
    waiting: int
    overdue: int
    median_days: float | None  # None until one is completed


def tally(rows: Iterable[Row], now: datetime) -> list[Tally]:
    """One Tally per assessor, the most overdue first, then the most completed."""
    by_assessor: dict[int, list[Row]] = {}
    for row in rows:
        by_assessor.setdefault(row.assessor, []).append(row)
    result = []
    for assessor, own in by_assessor.items():
        done = [r for r in own if r.status == "completed" and r.completed_at is not None]
        waiting = [r for r in own if r.status == "requested"]
        days = [(r.completed_at - r.requested_at).total_seconds() / SECONDS_A_DAY for r in done]  # type: ignore[operator]
        result.append(
            Tally(
                assessor=assessor,
                completed=len(done),
                declined=sum(1 for r in own if r.status == "declined"),
                waiting=len(waiting),
                overdue=sum(1 for r in waiting if r.due_at < now),
                median_days=round(median(days), 1) if days else None,
            )
        )
    return sorted(result, key=lambda t: (-t.overdue, -t.completed, t.assessor))
