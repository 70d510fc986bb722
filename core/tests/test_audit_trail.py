"""The audit trail is append-only in the database and its chain exposes tampering."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory, override_settings

from accounts import audit_actions as acts
from core.audit import record, verify_chain
from core.http import client_ip
from core.models import AuditEntry
from lib.auditchain import GENESIS_HASH, InvalidDetail
from neurodaraja.testing.audit import tamper


@pytest.fixture
def entries(cast):
    """The cast's set-up already wrote entries (roles given); add a few more."""
    for _ in range(3):
        record(acts.SIGNED_IN, actor=cast.referrer, target=cast.referrer)
    return AuditEntry.objects.order_by("id")


def test_entries_are_chained_from_the_genesis(entries):
    rows = list(entries)
    assert rows[0].previous_hash == GENESIS_HASH
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.previous_hash == before.entry_hash
    assert verify_chain() == (len(rows), None)


def test_the_database_refuses_to_change_an_entry(entries):
    entry = entries.last()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="accounts.signed_out")
    entry.refresh_from_db()
    assert entry.action == "accounts.signed_in"


def test_the_database_refuses_to_delete_an_entry(entries):
    count = entries.count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entries.first().pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditentry")
    assert AuditEntry.objects.count() == count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_postgresql_refuses_to_truncate_the_trail(entries):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE core_auditentry CASCADE")
    assert entries.exists()


def test_an_altered_entry_is_reported_with_its_id(entries):
    victim = entries[1]
    tamper("UPDATE core_auditentry SET actor_label = %s WHERE id = %s", ["nobody@x.test", victim.pk])
    checked, broken = verify_chain()
    assert broken is not None and broken.entry_id == victim.pk
    with pytest.raises(CommandError, match=f"broken at entry {victim.pk}"):
        call_command("verify_audit_chain")


def test_a_deleted_entry_is_reported_at_the_next_one(entries):
    rows = list(entries)
    tamper("DELETE FROM core_auditentry WHERE id = %s", [rows[1].pk])
    _checked, broken = verify_chain()
    assert broken is not None and broken.entry_id == rows[2].pk


def test_verify_command_reports_an_intact_chain(entries, capsys):
    call_command("verify_audit_chain")
    assert f"{entries.count()} entries verified" in capsys.readouterr().out


def test_identifiable_detail_is_refused_and_nothing_is_written(cast):
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidDetail):
        record(acts.PROFILE_UPDATED, actor=cast.referrer, detail={"phone": "+255700000000"})
    assert AuditEntry.objects.count() == before


def test_the_client_address_ignores_forwarded_headers_without_a_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.1.1.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 41.59.1.2")
        assert client_ip(request) == "41.59.1.2"  # the spoofed left-most value is ignored


def test_entries_record_actor_institution_and_address(cast):
    request = RequestFactory().post("/", REMOTE_ADDR="41.59.1.2")
    request.user = cast.coordinator
    entry = record(acts.INVITED, request=request, institution=cast.institutions["MOI"])
    assert entry.actor == cast.coordinator
    assert entry.actor_label == "coordinator@example.test"
    assert entry.ip_address == "41.59.1.2"
    assert entry.institution.short_code == "MOI"
    assert entry.created_at.utcoffset().total_seconds() == 0
