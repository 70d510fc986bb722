"""Recurring jobs run once per period, however many schedulers are running."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from core import scheduler
from core.models import ScheduledRun
from lib.schedule import slot_for
from neurodaraja.testing.audit import tamper


def test_slots_count_whole_periods_since_the_epoch():
    moment = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert slot_for(moment, timedelta(days=1)) == slot_for(moment + timedelta(hours=11), timedelta(days=1))
    assert (
        slot_for(moment + timedelta(hours=12), timedelta(days=1)) == slot_for(moment, timedelta(days=1)) + 1
    )
    with pytest.raises(ValueError):
        slot_for(moment.replace(tzinfo=None), timedelta(days=1))
    with pytest.raises(ValueError):
        slot_for(moment, timedelta(0))


def test_each_job_is_enqueued_once_per_slot(db):
    moment = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    first = scheduler.enqueue_due_jobs(moment)
    assert set(first) == {job.name for job in scheduler.periodic_jobs()}
    assert scheduler.enqueue_due_jobs(moment + timedelta(seconds=5)) == []  # a second scheduler, same slots
    assert set(scheduler.enqueue_due_jobs(moment + timedelta(days=1))) == set(first)
    assert ScheduledRun.objects.count() == 2 * len(first)


def test_the_housekeeping_jobs_are_registered():
    names = {job.name for job in scheduler.periodic_jobs()}
    assert {"core.verify_audit_chain", "core.clear_expired_sessions", "core.prune_task_results"} <= names


def test_scheduler_command_runs_one_tick(db, capsys):
    call_command("run_scheduler", once=True)
    assert "Enqueued core.verify_audit_chain" in capsys.readouterr().out


def test_a_broken_audit_chain_alerts_the_administrators(cast):
    from core.tasks import verify_audit_chain_nightly

    mail.outbox.clear()
    assert verify_audit_chain_nightly.call() is True
    assert mail.outbox == []
    tamper(
        "UPDATE core_auditentry SET actor_label = 'x' WHERE id = (SELECT MIN(id) FROM core_auditentry)", []
    )
    assert verify_audit_chain_nightly.call() is False
    assert [message.to for message in mail.outbox] == [["admin@example.test"]]
    assert "audit trail" in mail.outbox[0].subject
