"""Background work of training sessions: the supervisors' follow-up question, weeks after."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from core.scheduler import every
from training.sessions.actions import ask_follow_ups


@every(timedelta(days=1), name="training_sessions.ask_follow_ups")
@task()
def ask_follow_ups_task() -> int:
    return ask_follow_ups()
