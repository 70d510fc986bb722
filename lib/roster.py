"""The on-call roster read day by day in one time zone (pure: no Django).

A shift is stored in UTC; a reader in Dar es Salaam and one in Jinan see it on different local
days. Each day lists the shifts that overlap it, so a night shift from 20:00 to 08:00 appears on
both days, saying that it began the day before or ends the day after.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")


@dataclass(frozen=True)
class Slot(Generic[T]):
    item: T
    starts: datetime  # in the reader's zone
    ends: datetime
    began_before: bool  # started on an earlier day than the one it is listed under
    ends_after: bool  # ends on a later day


@dataclass(frozen=True)
class Day(Generic[T]):
    day: date
    slots: list[Slot[T]]


def by_day(
    shifts: Iterable[tuple[T, datetime, datetime]], zone: ZoneInfo, first: date, days: int
) -> list[Day[T]]:
    """`days` local days from `first`, each with the shifts (item, start, end; aware datetimes)
    that overlap it, in order of start."""
    ordered = sorted(
        ((item, start.astimezone(zone), end.astimezone(zone)) for item, start, end in shifts),
        key=lambda shift: shift[1],
    )
    result = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        # Local midnights: a day with a clock change is 23 or 25 hours long.
        opens = datetime.combine(day, time.min, tzinfo=zone)
        closes = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
        slots = [
            Slot(item, start, end, began_before=start < opens, ends_after=end > closes)
            for item, start, end in ordered
            if start < closes and end > opens
        ]
        result.append(Day(day, slots))
    return result


def utc_offset(moment: datetime) -> str:
    """'+03:00', '+08:00', '-05:30': the offset of an aware datetime, as a reader writes it."""
    delta = moment.utcoffset() or timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"
