"""Tampering with the audit trail behind the application's back, to prove it is noticed."""

from __future__ import annotations

from django.db import connection


def tamper(sql: str, *params: list | tuple) -> None:
    """Change rows behind the application's back (`sql` once for each of `params`), with the
    guard switched off for a moment (inside the test's transaction, so it is back afterwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are deferred; settle them so the table may be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
            cursor.execute("DROP TRIGGER core_auditentry_no_delete")
        for one in params:
            cursor.execute(sql, one)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER USER")
