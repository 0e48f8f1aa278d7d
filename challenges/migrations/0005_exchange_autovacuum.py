"""Vacuum the recorded exchanges far more often than PostgreSQL's default.

The table churns: every learner keeps only their newest 500 exchanges, so at
class scale rows are deleted as fast as they are written. PostgreSQL's default
waits for a fifth of the table to be dead before it vacuums it; meanwhile the
dead rows slow every index walk of the retention rule (seen: a 1 GB table
holding 27,000 live rows, a prune taking 25 ms instead of 1). Other databases
have nothing to set.
"""

from django.db import migrations

TABLE = "challenges_recordedexchange"


def vacuum_often(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} SET (autovacuum_vacuum_scale_factor = 0.02, "
            "autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.05)"
        )


def vacuum_as_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} RESET (autovacuum_vacuum_scale_factor, "
            "autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)"
        )


class Migration(migrations.Migration):
    dependencies = [("challenges", "0004_curriculum_topics")]

    operations = [migrations.RunPython(vacuum_often, vacuum_as_default)]
