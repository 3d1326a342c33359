"""A token that changes with every write to the tables an estimate's catalogue read comes from.

``pricing.selectors.catalogue.catalogue_generation`` reads it in one small query; an estimate
reuses the catalogue it read while the token is the same (docs/page.md). The database sets it
(triggers), so every writer counts: ``save``, ``QuerySet.update``, ``bulk_create``, deletes,
PostgreSQL's TRUNCATE (a test flush) and raw SQL. The token is random, never a counter: a
rolled-back write's token is not handed to another write.
"""

from django.db import migrations

TABLES = ("pricing_provider", "pricing_languagemodel", "pricing_priceversion")

CREATE = "CREATE TABLE pricing_cataloguegeneration (id integer PRIMARY KEY, token varchar(64) NOT NULL)"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(CREATE)
        if connection.vendor == "postgresql":
            cursor.execute("INSERT INTO pricing_cataloguegeneration VALUES (1, md5(random()::text))")
            # One bump per statement; the row lock is held to the writer's commit.
            cursor.execute(
                "CREATE FUNCTION pricing_catalogue_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "UPDATE pricing_cataloguegeneration "
                "SET token = md5(random()::text || clock_timestamp()::text) WHERE id = 1; "
                "RETURN NULL; END $$"
            )
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION pricing_catalogue_bump()"
                )
        elif connection.vendor == "sqlite":
            cursor.execute("INSERT INTO pricing_cataloguegeneration VALUES (1, lower(hex(randomblob(16))))")
            bump = "UPDATE pricing_cataloguegeneration SET token = lower(hex(randomblob(16))) WHERE id = 1;"
            for table in TABLES:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER {table}_generation_{event.lower()} AFTER {event} ON {table} "
                        f"BEGIN {bump} END"
                    )
        # Any other database: no row, and the catalogue is read on every estimate.


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_generation ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS pricing_catalogue_bump()")
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_generation_{event}")
        cursor.execute("DROP TABLE IF EXISTS pricing_cataloguegeneration")


class Migration(migrations.Migration):
    dependencies = [("pricing", "0014_context_window_source")]

    operations = [migrations.RunPython(forwards, backwards)]
