"""On PostgreSQL, the database itself refuses two versions of one model whose periods overlap.

SQLite has no exclusion constraints; there ``pricing.services.publish_price_version`` enforces
the same rule under a row lock.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE pricing_priceversion ADD CONSTRAINT price_versions_do_not_overlap
    EXCLUDE USING gist (model_id WITH =, tstzrange(effective_from, effective_to, '[)') WITH &&);
"""
DROP = "ALTER TABLE pricing_priceversion DROP CONSTRAINT IF EXISTS price_versions_do_not_overlap;"


def create_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("pricing", "0001_initial")]
    operations = [migrations.RunPython(create_constraint, drop_constraint)]
