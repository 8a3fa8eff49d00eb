"""What the migrations share for PostgreSQL: the append-only and frozen-content triggers are
PL/pgSQL, so the SQL that makes them runs on PostgreSQL and leaves other databases alone
(SQLite keeps the same rules in the services)."""

from django.db import migrations


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """``RunSQL`` that runs on PostgreSQL only, both ways."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
