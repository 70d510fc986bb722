"""On PostgreSQL the application's own database role cannot switch off or get round the audit
trail's append-only triggers (issue 10; the roles are those of docs/operations.md).

A real login as a role with what production gives the application: CONNECT, USAGE on the
schema, SELECT/INSERT/UPDATE/DELETE on the tables, the sequences, and no ownership. The tables
belong to the role that ran the migrations (here the test run's own user).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection
from psycopg import sql
from psycopg.errors import InsufficientPrivilege

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles only")


def _connect(**overrides: str) -> psycopg.Connection:
    params = connection.settings_dict
    conninfo = {
        "host": params["HOST"] or "127.0.0.1",
        "port": str(params["PORT"] or 5432),
        "dbname": params["NAME"],
        "user": params["USER"],
        "password": params["PASSWORD"] or "",
        **overrides,
    }
    return psycopg.connect(**{key: value for key, value in conninfo.items() if value}, autocommit=True)


@pytest.fixture
def application_role(db) -> Iterator[tuple[str, str]]:
    """A throwaway role with the application's production privileges; dropped afterwards.

    The name is unique, as tests run in parallel and roles belong to the whole server.
    """
    name = f"nd_app_test_{secrets.token_hex(6)}"
    password = secrets.token_urlsafe(18)
    database = connection.settings_dict["NAME"]  # the test database, by now
    role = sql.Identifier(name)
    with _connect() as owner:
        owner.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(password)))
        try:
            # The grants of docs/operations.md, section "PostgreSQL roles".
            owner.execute(
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), role)
            )
            owner.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
            owner.execute(
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
                    role
                )
            )
            owner.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role))
            yield name, password
        finally:
            owner.execute(sql.SQL("DROP OWNED BY {}").format(role))  # its grants, here and on the database
            owner.execute(sql.SQL("DROP ROLE {}").format(role))


def test_the_application_role_cannot_drop_disable_or_get_round_the_triggers(application_role):
    name, password = application_role
    with _connect(user=name, password=password) as app:
        app.execute("SET lock_timeout = '10s'")  # fail rather than wait if something holds the table
        assert app.execute("SELECT current_user").fetchone() == (name,)
        with app.transaction(force_rollback=True):
            # What the application does every day still works: read and append.
            app.execute("SELECT count(*) FROM core_auditentry").fetchone()
            row = app.execute(
                "INSERT INTO core_auditentry (created_at, actor_label, action, object_type, object_id,"
                " detail, previous_hash, entry_hash) VALUES (now(), '', 'tests.probe', '', '', '{}',"
                " %s, %s) RETURNING id",
                ["0" * 64, secrets.token_hex(32)],
            ).fetchone()
            assert row is not None
            entry_id = row[0]

            refused = [
                ("DROP TRIGGER core_auditentry_no_change ON core_auditentry", [], "must be owner"),
                ("ALTER TABLE core_auditentry DISABLE TRIGGER USER", [], "must be owner"),
                (
                    "ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_no_change",
                    [],
                    "must be owner",
                ),
                ("DROP FUNCTION core_auditentry_append_only()", [], "must be owner"),
                (
                    "UPDATE core_auditentry SET action = 'tests.changed' WHERE id = %s",
                    [entry_id],
                    "append-only",
                ),
                ("DELETE FROM core_auditentry WHERE id = %s", [entry_id], "append-only"),
                ("TRUNCATE core_auditentry", [], "permission denied"),
            ]
            for statement, params, reason in refused:
                # Each in a savepoint, so that one refusal leaves the connection usable for the next.
                with pytest.raises(InsufficientPrivilege, match=reason), app.transaction():
                    app.execute(statement, params or None)

            # Nothing changed: the probe is still there as written, the triggers still on.
            assert app.execute("SELECT action FROM core_auditentry WHERE id = %s", [entry_id]).fetchone() == (
                "tests.probe",
            )
            triggers = app.execute(
                "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'core_auditentry'::regclass"
                " AND NOT tgisinternal ORDER BY tgname"
            ).fetchall()
            assert triggers == [("core_auditentry_no_change", "O"), ("core_auditentry_no_truncate", "O")]
