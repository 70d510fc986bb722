"""The count per assessor: completed, declined, waiting, overdue and the median days to complete."""

from datetime import UTC, datetime, timedelta

from lib.assessment_tally import Row, tally

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def row(assessor, status, asked_days_ago, done_days_ago=None):
    asked = NOW - timedelta(days=asked_days_ago)
    done = NOW - timedelta(days=done_days_ago) if done_days_ago is not None else None
    return Row(assessor, status, asked, asked + timedelta(days=14), done)


def test_counts_and_median_days_per_assessor():
    rows = [
        row(1, "completed", 10, 9),  # 1 day
        row(1, "completed", 10, 7),  # 3 days
        row(1, "completed", 20, 0),  # 20 days
        row(1, "requested", 3),
        row(2, "requested", 15),  # overdue
        row(2, "declined", 5, 4),
    ]
    first, second = tally(rows, NOW)
    assert (first.assessor, first.overdue, first.waiting, first.completed) == (2, 1, 1, 0)
    assert first.declined == 1 and first.median_days is None
    assert (second.assessor, second.completed, second.waiting, second.overdue) == (1, 3, 1, 0)
    assert second.median_days == 3.0


def test_a_request_is_overdue_only_after_its_due_date():
    (only,) = tally([row(7, "requested", 13), row(7, "requested", 14.5)], NOW)
    assert only.waiting == 2 and only.overdue == 1


def test_no_rows_no_tally():
    assert tally([], NOW) == []
