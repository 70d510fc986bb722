from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from consultations.actions import escalate_overdue, remind_outcomes
from core.scheduler import every


@every(timedelta(minutes=1), name="consultations.escalate_overdue")
@task()
def escalate_overdue_cases() -> int:
    return escalate_overdue()


@every(timedelta(hours=6), name="consultations.remind_outcomes")
@task()
def remind_missing_outcomes() -> int:
    return remind_outcomes()
