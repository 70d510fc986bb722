"""Recurring jobs: apps register a task and an interval; `manage.py run_scheduler` enqueues them.

Written here because no maintained library schedules Django tasks on the django-tasks
backport (django-crontask targets other brokers; django-tasks-scheduler needs RQ/Valkey).
The scheduler only enqueues: the worker runs the job, retries and all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django_tasks.base import Task

from core.models import ScheduledRun
from lib.schedule import slot_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task
    every: timedelta


_JOBS: dict[str, PeriodicJob] = {}


def every(interval: timedelta, *, name: str | None = None):  # type: ignore[no-untyped-def]
    """Decorator for a task that must run once per `interval`."""

    def register(task: Task) -> Task:
        job_name = name or task.module_path
        if job_name in _JOBS:
            raise ValueError(f"Periodic job {job_name} is registered twice.")
        _JOBS[job_name] = PeriodicJob(job_name, task, interval)
        return task

    return register


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def enqueue_due_jobs(now: datetime) -> list[str]:
    """Enqueue each job whose current slot has not been claimed yet; return their names."""
    enqueued = []
    for job in periodic_jobs():
        slot = slot_for(now, job.every)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, slot=slot)
                job.task.enqueue()
        except IntegrityError:
            continue  # another scheduler (or an earlier tick) claimed this slot
        logger.info("Enqueued periodic job %s for slot %s", job.name, slot)
        enqueued.append(job.name)
    return enqueued
