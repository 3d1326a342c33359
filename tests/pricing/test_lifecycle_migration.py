"""Migration 0011 turns a model's deprecation and retirement days into moments at 00:00 UTC."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("pricing", "0010_model_lifecycle_aliases_observations")]
AFTER = [("pricing", "0011_lifecycle_moments")]


@pytest.mark.django_db(transaction=True)
def test_a_day_becomes_the_start_of_that_day_in_utc_with_no_source():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    provider = old.get_model("pricing", "Provider").objects.create(slug="google", name="Google")
    Model = old.get_model("pricing", "LanguageModel")
    Model.objects.create(
        provider=provider,
        slug="gemini-2.0-flash",
        name="x",
        tokenizer_key="generic",
        retired_on=date(2026, 6, 1),
    )
    Model.objects.create(
        provider=provider, slug="old", name="y", tokenizer_key="generic", deprecated_on=date(2026, 2, 27)
    )
    Model.objects.create(provider=provider, slug="alive", name="z", tokenizer_key="generic")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("pricing", "LanguageModel")
        moments = {
            m.slug: (m.deprecated_at, m.retired_at, m.retirement_source_url) for m in new.objects.all()
        }
    finally:  # leave the schema as later tests expect it: every migration applied
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert moments == {
        "gemini-2.0-flash": (None, datetime(2026, 6, 1, tzinfo=UTC), ""),
        "old": (datetime(2026, 2, 27, tzinfo=UTC), None, ""),
        "alive": (None, None, ""),
    }
