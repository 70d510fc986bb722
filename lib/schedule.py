"""Time slots for periodic jobs (plain Python)."""

from __future__ import annotations

from datetime import datetime, timedelta


def slot_for(moment: datetime, every: timedelta) -> int:
    """The number of the period of length `every`, counted from the Unix epoch, that holds `moment`.

    Every scheduler process computes the same number for the same period, so a unique
    (job, slot) row is enough to run each period's job once however many schedulers run.
    """
    seconds = int(every.total_seconds())
    if seconds <= 0:
        raise ValueError("A periodic job needs a positive interval.")
    if moment.tzinfo is None:
        raise ValueError("Slots are computed from aware datetimes only.")
    return int(moment.timestamp()) // seconds
