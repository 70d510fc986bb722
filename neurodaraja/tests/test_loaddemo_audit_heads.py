"""Rebuilding the demo on a new database sets aside the audit heads recorded for the old one, so
the nightly check does not report tampering; on a database that has a trail, the file stays."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from core.audit import AuditAction, record
from core.tasks import record_audit_head_nightly

pytestmark = pytest.mark.django_db

EARLIER = AuditAction("tests.earlier", "An entry of the earlier database")


def test_a_new_database_sets_the_old_heads_aside_and_the_next_night_is_clean(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.DEMO_DICOM_DIR = "/nonexistent"  # the images are not needed here
    old = "2026-11-30T02:00:00+00:00 1:" + "ab" * 32 + "\n"
    settings.AUDIT_HEAD_FILE.write_text(old, encoding="utf-8")
    call_command("loaddemo")
    (kept,) = tmp_path.glob("audit-heads.txt.earlier-database-*")
    assert kept.read_text(encoding="utf-8") == old
    assert record_audit_head_nightly.call() is True


def test_a_database_with_a_trail_keeps_its_head_file(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.DEMO_DICOM_DIR = "/nonexistent"
    record(EARLIER)
    record_audit_head_nightly.call()
    recorded = settings.AUDIT_HEAD_FILE.read_text(encoding="utf-8")
    call_command("loaddemo")
    assert settings.AUDIT_HEAD_FILE.read_text(encoding="utf-8").startswith(recorded)
    assert not list(tmp_path.glob("audit-heads.txt.earlier-*"))
