"""Background work of workplace-based assessments: the daily reminder of overdue requests."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from core.scheduler import every
from training.assessments.actions import remind_overdue


@every(timedelta(days=1), name="training.remind_overdue_assessments")
@task()
def remind_overdue_task() -> int:
    return remind_overdue()
