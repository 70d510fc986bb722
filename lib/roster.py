"""The on-call roster read day by day in one time zone (pure: no Django).

A shift is stored in UTC; a reader in Dar es Salaam and one in Jinan see it on different local
days. Each shift is listed once, under the day it starts (or the first day shown, if it began
before), with its end; the days after it that it still covers say so in one short line rather
than repeating it. Days in a row on which nothing starts and the same shifts carry on (or none)
are read as one stretch ("Tue 8 – Sun 13"), so a week-long shift is one entry and one line,
not seven copies, and four quiet weeks do not fill a phone's screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")

ROSTER_DAYS = 28  # what the roster shows: the coming four weeks


@dataclass(frozen=True)
class Slot(Generic[T]):
    item: T
    starts: datetime  # in the reader's zone
    ends: datetime
    began_before: bool  # started before the day (or stretch) it is listed under
    ends_after: bool  # ends after the day (or stretch) it is listed under


@dataclass(frozen=True)
class Day(Generic[T]):
    """One day, or a stretch of days from `day` to `last` on which no shift starts."""

    day: date
    slots: list[Slot[T]]  # the shifts that start this day (the first day: those running already too)
    continuing: list[Slot[T]] = field(default_factory=list)  # listed on an earlier day, still on
    last: date | None = None  # the stretch's last day; None: a single day

    @property
    def until(self) -> date:
        return self.last or self.day

    @property
    def is_stretch(self) -> bool:
        return self.until != self.day


def _bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    # Local midnights: a day with a clock change is 23 or 25 hours long.
    return (
        datetime.combine(day, time.min, tzinfo=zone),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone),
    )


def by_day(
    shifts: Iterable[tuple[T, datetime, datetime]], zone: ZoneInfo, first: date, days: int
) -> list[Day[T]]:
    """`days` local days from `first` (shifts as item, start, end; aware datetimes), each shift
    under the day it starts, in order of start; quiet days in a row merged into one stretch."""
    ordered = sorted(
        ((item, start.astimezone(zone), end.astimezone(zone)) for item, start, end in shifts),
        key=lambda shift: shift[1],
    )
    result: list[Day[T]] = []
    carried: list[int] = []  # which shifts the last entry's `continuing` holds (by position)
    for offset in range(days):
        day = first + timedelta(days=offset)
        opens, closes = _bounds(day, zone)
        on = [n for n, (_item, start, end) in enumerate(ordered) if start < closes and end > opens]
        starting = [n for n in on if ordered[n][1] >= opens or offset == 0]
        still = [n for n in on if n not in starting]
        slots = [_slot(ordered[n], opens, closes) for n in starting]
        continuing = [_slot(ordered[n], opens, closes) for n in still]
        previous = result[-1] if result else None
        if previous is not None and not previous.slots and not slots and still == carried:
            # Another quiet day like the one before: the stretch grows by a day.
            stretch_opens, _closes = _bounds(previous.day, zone)
            continuing = [_slot(ordered[n], stretch_opens, closes) for n in still]
            result[-1] = Day(previous.day, [], continuing, last=day)
        else:
            result.append(Day(day, slots, continuing))
        carried = still
    return result


def _slot(shift: tuple[T, datetime, datetime], opens: datetime, closes: datetime) -> Slot[T]:
    item, start, end = shift
    return Slot(item, start, end, began_before=start < opens, ends_after=end > closes)


def utc_offset(moment: datetime) -> str:
    """'+03:00', '+08:00', '-05:30': the offset of an aware datetime, as a reader writes it."""
    delta = moment.utcoffset() or timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"
