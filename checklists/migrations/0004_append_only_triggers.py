"""On PostgreSQL, the database itself refuses to change history.

Check records and audit events (which hold the template history) can only be inserted:
an UPDATE or DELETE of a row raises an error, whatever code sends it. Template items can
be changed and deleted only while their version is a draft. The error is SQLSTATE 23001
(restrict_violation), which Django raises as an IntegrityError.

Row-level triggers do not fire on TRUNCATE, so ``manage.py flush`` and the test
database's flush still empty these tables. On SQLite (development and the first test
pass) this migration does nothing: there the services are the only writers.
"""

from django.db import migrations

from checklists.postgres import RunSQLOnPostgreSQL

REFUSE_CHANGE = """
CREATE FUNCTION wardsafe_refuse_change_of_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% of a row of % refused: its rows are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation',
              HINT = 'Record a correction as a new row instead.';
END
$$
"""

REFUSE_PUBLISHED_ITEM_CHANGE = """
CREATE FUNCTION wardsafe_refuse_change_of_published_item() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_status text;
    new_status text;
BEGIN
    SELECT status INTO old_status FROM checklists_templateversion WHERE id = OLD.version_id;
    IF TG_OP = 'UPDATE' THEN
        SELECT status INTO new_status FROM checklists_templateversion WHERE id = NEW.version_id;
    ELSE
        new_status := 'draft';
    END IF;
    IF old_status <> 'draft' OR new_status <> 'draft' THEN
        RAISE EXCEPTION '% of template item % refused: its version is %', TG_OP, OLD.id, old_status
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Items change only in a draft: create a new draft of the template.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

FORWARD = [
    REFUSE_CHANGE,
    """
    CREATE TRIGGER check_records_are_append_only
    BEFORE UPDATE OR DELETE ON checklists_checkrecord
    FOR EACH ROW EXECUTE FUNCTION wardsafe_refuse_change_of_history()
    """,
    """
    CREATE TRIGGER audit_events_are_append_only
    BEFORE UPDATE OR DELETE ON checklists_auditevent
    FOR EACH ROW EXECUTE FUNCTION wardsafe_refuse_change_of_history()
    """,
    REFUSE_PUBLISHED_ITEM_CHANGE,
    """
    CREATE TRIGGER published_items_never_change
    BEFORE UPDATE OR DELETE ON checklists_templateitem
    FOR EACH ROW EXECUTE FUNCTION wardsafe_refuse_change_of_published_item()
    """,
]

BACKWARD = [
    "DROP TRIGGER published_items_never_change ON checklists_templateitem",
    "DROP FUNCTION wardsafe_refuse_change_of_published_item()",
    "DROP TRIGGER audit_events_are_append_only ON checklists_auditevent",
    "DROP TRIGGER check_records_are_append_only ON checklists_checkrecord",
    "DROP FUNCTION wardsafe_refuse_change_of_history()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0003_examinations_paper_records_print_runs_moves"),
    ]

    operations = [RunSQLOnPostgreSQL(sql=FORWARD, reverse_sql=BACKWARD)]
