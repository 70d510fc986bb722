"""Recurring housekeeping jobs (registered with the scheduler)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks_db import DatabaseBackend

from core.audit import verify_chain
from core.models import AuditEntry
from core.scheduler import every
from core.signals import audit_chain_broken

logger = logging.getLogger(__name__)


@every(timedelta(days=1), name="core.verify_audit_chain")
@task()
def verify_audit_chain_nightly() -> bool:
    """Verify the audit trail and tell the administrators at once if a link is broken."""
    checked, broken = verify_chain()
    if broken is None:
        # The newest hash goes to the log (kept off the database server): removing entries from
        # the end of the trail leaves no break in the chain, but it does change this value.
        head = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
        logger.info(
            "Audit chain intact: %s entries; newest entry %s has hash %s", checked, *(head or ("-", "-"))
        )
        return True
    logger.error("Audit chain broken at entry %s: %s", broken.entry_id, broken.reason)
    audit_chain_broken.send(sender=verify_audit_chain_nightly, entry_id=broken.entry_id, checked=checked)
    return False


@every(timedelta(days=1), name="core.clear_expired_sessions")
@task()
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@every(timedelta(days=1), name="core.prune_task_results")
@task()
def prune_task_results() -> None:
    # Finished task rows hold e-mail arguments (links with one-time tokens); keep them briefly.
    if not isinstance(task_backends["default"], DatabaseBackend):
        return  # tasks are not stored (tests run them at once)
    call_command("prune_db_task_results", min_age_days=7, failed_min_age_days=30, verbosity=0)
