"""Recurring housekeeping jobs (registered with the scheduler)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks_db import DatabaseBackend

from core.audit import append_head, check_recorded_heads, current_head, verify_chain
from core.emails import send_email_to_administrators
from core.models import AuditEntry
from core.scheduler import every
from core.signals import audit_chain_broken
from lib.auditchain import InvalidHead, RecordedHead, parse_head_file

logger = logging.getLogger(__name__)


@every(timedelta(days=1), name="core.verify_audit_chain")
@task()
def verify_audit_chain_nightly() -> bool:
    """Verify the audit trail and tell the administrators at once if a link is broken."""
    checked, broken = verify_chain()
    if broken is None:
        head = current_head()
        logger.info(
            "Audit chain intact: %s entries; newest entry %s", checked, head.entry_id if head else "-"
        )
        return True
    logger.error("Audit chain broken at entry %s: %s", broken.entry_id, broken.reason)
    audit_chain_broken.send(sender=verify_audit_chain_nightly, entry_id=broken.entry_id, checked=checked)
    return False


@every(timedelta(days=1), name="core.record_audit_head")
@task()
def record_audit_head_nightly() -> bool:
    """Check the heads recorded on earlier nights, then record tonight's and send it to the
    administrators.

    Someone able to rewrite the table can recompute every hash, and the chain then verifies; a
    head kept outside the database (the file, the e-mails) cannot be recomputed. A head that no
    longer matches tells the administrators as a broken chain does.
    """
    path = Path(settings.AUDIT_HEAD_FILE)
    head = current_head()
    try:
        mismatches = check_recorded_heads(_heads_recorded_in(path))
    except (OSError, UnicodeDecodeError, InvalidHead) as error:
        # Appending to a file that cannot be read would bury the evidence; the e-mail still goes.
        logger.error("The audit head file %s cannot be read, so no head is added to it: %s", path, error)
        _send_head(head, timezone.now())
        return False
    if mismatches:
        for mismatch in mismatches:
            logger.error("Audit trail rewritten: %s", mismatch.reason)
        first = min(mismatches, key=lambda mismatch: mismatch.head.entry_id)
        audit_chain_broken.send(
            sender=record_audit_head_nightly, entry_id=first.head.entry_id, checked=AuditEntry.objects.count()
        )
        return False
    if head is None:
        return True
    now = timezone.now()
    try:
        append_head(path, head, now)
    except OSError as error:
        logger.error("The audit head could not be added to %s: %s", path, error)
        _send_head(head, now)  # the administrators' copy is still made
        return False
    _send_head(head, now)
    return True


def _heads_recorded_in(path: Path) -> list[RecordedHead]:
    if not path.exists():
        return []  # the first night
    return parse_head_file(path.read_text(encoding="utf-8"), require_heads=False)


def _send_head(head: RecordedHead | None, now: datetime) -> None:
    if head is None:
        return
    send_email_to_administrators(
        "audit_head",
        {
            "head": f"{head.entry_id}:{head.entry_hash}",
            "entry_id": head.entry_id,
            "recorded_at": now.isoformat(timespec="seconds"),
        },
    )


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
