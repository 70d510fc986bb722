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


def test_a_night_shift_is_listed_once_and_the_next_morning_says_it_carries_on():
    # 17:00 UTC to 05:00 UTC: 20:00 to 08:00 the next morning in Dar es Salaam.
    shift = ("baraka", datetime(2026, 12, 7, 17, 0, tzinfo=UTC), datetime(2026, 12, 8, 5, 0, tzinfo=UTC))
    days = by_day([shift], DAR, date(2026, 12, 7), 3)
    first, second, third = days
    assert first.slots[0].ends_after and not first.slots[0].began_before
    assert second.slots == [] and second.continuing[0].item == "baraka"
    assert second.continuing[0].began_before and not second.continuing[0].ends_after
    assert third.slots == third.continuing == [] and third.day == date(2026, 12, 9)


def test_a_week_long_shift_is_one_entry_and_one_stretch_not_seven_copies():
    # Monday 7 December 09:00 to Monday 14 December 09:00, Dar es Salaam time.
    week = ("li", datetime(2026, 12, 7, 9, 0, tzinfo=DAR), datetime(2026, 12, 14, 9, 0, tzinfo=DAR))
    days = by_day([week], DAR, date(2026, 12, 7), 14)
    listed = [slot for day in days for slot in day.slots]
    assert [slot.item for slot in listed] == ["li"] and listed[0].ends_after
    monday, carrying, quiet = days
    assert monday.day == date(2026, 12, 7) and not monday.is_stretch
    # Tuesday 8 to Monday 14 (it ends that morning): one stretch, saying who is still on call.
    assert (carrying.day, carrying.until) == (date(2026, 12, 8), date(2026, 12, 14))
    assert carrying.is_stretch and carrying.slots == [] and [c.item for c in carrying.continuing] == ["li"]
    assert carrying.continuing[0].began_before and not carrying.continuing[0].ends_after
    assert (quiet.day, quiet.until, quiet.continuing) == (date(2026, 12, 15), date(2026, 12, 20), [])


def test_a_shift_that_began_before_the_first_day_is_listed_on_it():
    shift = ("x", datetime(2026, 12, 5, 9, 0, tzinfo=DAR), datetime(2026, 12, 9, 9, 0, tzinfo=DAR))
    days = by_day([shift], DAR, date(2026, 12, 7), 4)
    assert days[0].slots[0].began_before and days[0].slots[0].ends_after
    assert [c.item for c in days[1].continuing] == ["x"] and days[1].until == date(2026, 12, 9)
    assert not days[1].continuing[0].ends_after
    assert days[2].day == date(2026, 12, 10) and days[2].continuing == []


def test_a_new_shift_breaks_a_stretch():
    week = ("li", datetime(2026, 12, 7, 9, 0, tzinfo=DAR), datetime(2026, 12, 14, 9, 0, tzinfo=DAR))
    other = ("baraka", datetime(2026, 12, 10, 9, 0, tzinfo=DAR), datetime(2026, 12, 10, 17, 0, tzinfo=DAR))
    days = by_day([week, other], DAR, date(2026, 12, 7), 8)
    assert [(d.day.day, d.until.day) for d in days] == [(7, 7), (8, 9), (10, 10), (11, 14)]
    assert [s.item for s in days[2].slots] == ["baraka"] and [c.item for c in days[2].continuing] == ["li"]


def test_days_come_in_order_and_shifts_by_their_start():
    late = ("b", datetime(2026, 12, 7, 12, 0, tzinfo=UTC), datetime(2026, 12, 7, 14, 0, tzinfo=UTC))
    early = ("a", datetime(2026, 12, 7, 6, 0, tzinfo=UTC), datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    days = by_day([late, early], DAR, date(2026, 12, 7), 28)
    assert [slot.item for slot in days[0].slots] == ["a", "b"]
    # The 27 quiet days after it are one stretch, to the 28th day.
    assert len(days) == 2 and (days[1].day, days[1].until) == (date(2026, 12, 8), date(2027, 1, 3))


def test_a_stretch_ending_within_it_says_so_and_one_ending_later_too():
    week = ("li", datetime(2026, 12, 7, 9, 0, tzinfo=DAR), datetime(2026, 12, 14, 9, 0, tzinfo=DAR))
    (_monday, carrying) = by_day([week], DAR, date(2026, 12, 7), 4)  # the window ends on Thursday
    assert carrying.until == date(2026, 12, 10) and carrying.continuing[0].ends_after


def test_a_shift_that_ends_at_midnight_is_not_on_the_next_day():
    shift = ("x", datetime(2026, 12, 7, 9, 0, tzinfo=DAR), datetime(2026, 12, 8, 0, 0, tzinfo=DAR))
    days = by_day([shift], DAR, date(2026, 12, 7), 2)
    assert len(days[0].slots) == 1 and not days[0].slots[0].ends_after
    assert days[1].slots == days[1].continuing == []


def test_the_offset_is_written_as_a_reader_expects():
    assert utc_offset(datetime(2026, 12, 7, tzinfo=DAR)) == "+03:00"
    assert utc_offset(datetime(2026, 12, 7, tzinfo=JINAN)) == "+08:00"
    assert utc_offset(datetime(2026, 12, 7, tzinfo=ZoneInfo("America/St_Johns"))) == "-03:30"
