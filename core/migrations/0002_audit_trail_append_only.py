"""The database itself refuses to change or remove audit entries, whichever role connects.

Only a role that may alter the table could switch the triggers off: in production the table is
owned by a separate migration role (docs/operations.md), so the application's role cannot.
"""

from django.db import migrations

POSTGRES_ON = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_change BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only();
"""
POSTGRES_OFF = """
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
DROP TRIGGER IF EXISTS core_auditentry_no_change ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""
SQLITE_ON = [
    """CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: UPDATE is refused'); END""",
    """CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: DELETE is refused'); END""",
]
SQLITE_OFF = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]


def protect(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_ON, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_ON:
            schema_editor.execute(statement)


def unprotect(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_OFF, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_OFF:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_reference_data_and_audit_trail")]

    operations = [migrations.RunPython(protect, unprotect)]
