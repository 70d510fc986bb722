"""Durations Django writes itself (timesince: "decided 3 minutes after logging") read in the
reader's language: Django's Kiswahili catalogue leaves them in English, ours translates them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from django.utils.timesince import timesince

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "minutes", "days"),
    [
        ("sw", "dakika 3", "siku 2, saa 3"),
        ("zh-hans", "3 分钟", "2 天，3 小时"),
        ("en", "3 minutes", "2 days, 3 hours"),
    ],
)
def test_durations_are_written_in_the_readers_language(language, minutes, days):
    with translation.override(language):
        # Django keeps the number and its unit together with a no-break space.
        assert timesince(NOW - timedelta(minutes=3), NOW).replace("\xa0", " ") == minutes
        assert timesince(NOW - timedelta(days=2, hours=3), NOW).replace("\xa0", " ") == days
