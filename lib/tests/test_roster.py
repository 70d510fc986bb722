"""The roster by day, in the reader's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from lib.roster import by_day, utc_offset

DAR = ZoneInfo("Africa/Dar_es_Salaam")
JINAN = ZoneInfo("Asia/Shanghai")


def test_a_shift_falls_on_the_local_day_of_each_reader():
    # 00:00–12:00 UTC on 7 December: 03:00–15:00 in Dar es Salaam, 08:00–20:00 in Jinan.
    shift = ("li", datetime(2026, 12, 7, 0, 0, tzinfo=UTC), datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    dar = by_day([shift], DAR, date(2026, 12, 6), 3)
    assert [d.day for d in dar if d.slots] == [date(2026, 12, 7)]
    slot = dar[1].slots[0]
    assert (slot.starts.hour, slot.ends.hour) == (3, 15)
    jinan = by_day([shift], JINAN, date(2026, 12, 6), 3)
    assert (jinan[1].slots[0].starts.hour, jinan[1].slots[0].ends.hour) == (8, 20)


def test_a_night_shift_is_listed_on_both_days_it_covers():
    # 17:00 UTC to 05:00 UTC: 20:00 to 08:00 the next morning in Dar es Salaam.
    shift = ("baraka", datetime(2026, 12, 7, 17, 0, tzinfo=UTC), datetime(2026, 12, 8, 5, 0, tzinfo=UTC))
    days = by_day([shift], DAR, date(2026, 12, 7), 3)
    first, second, third = days
    assert first.slots[0].ends_after and not first.slots[0].began_before
    assert second.slots[0].began_before and not second.slots[0].ends_after
    assert third.slots == []


def test_days_come_in_order_and_shifts_by_their_start():
    late = ("b", datetime(2026, 12, 7, 12, 0, tzinfo=UTC), datetime(2026, 12, 7, 14, 0, tzinfo=UTC))
    early = ("a", datetime(2026, 12, 7, 6, 0, tzinfo=UTC), datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    days = by_day([late, early], DAR, date(2026, 12, 7), 28)
    assert len(days) == 28 and days[-1].day == date(2027, 1, 3)
    assert [slot.item for slot in days[0].slots] == ["a", "b"]


def test_a_shift_that_ends_at_midnight_is_not_on_the_next_day():
    shift = ("x", datetime(2026, 12, 7, 9, 0, tzinfo=DAR), datetime(2026, 12, 8, 0, 0, tzinfo=DAR))
    days = by_day([shift], DAR, date(2026, 12, 7), 2)
    assert len(days[0].slots) == 1 and not days[0].slots[0].ends_after
    assert days[1].slots == []


def test_the_offset_is_written_as_a_reader_expects():
    assert utc_offset(datetime(2026, 12, 7, tzinfo=DAR)) == "+03:00"
    assert utc_offset(datetime(2026, 12, 7, tzinfo=JINAN)) == "+08:00"
    assert utc_offset(datetime(2026, 12, 7, tzinfo=ZoneInfo("America/St_Johns"))) == "-03:30"
