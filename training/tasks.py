"""Background work of the training app: the weekly reminder of entries waiting for validation."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from core.scheduler import every
from training.actions import remind_supervisors


@every(timedelta(days=1), name="training.remind_supervisors")
@task()
def remind_supervisors_task() -> int:
    return remind_supervisors()
