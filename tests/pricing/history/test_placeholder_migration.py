"""Migration 0008: versions dated by the old 2023-01-01 placeholder are withdrawn, never edited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("pricing", "0007_model_tokenizer_chosen")]
AFTER = [("pricing", "0008_price_history_evidence")]
PLACEHOLDER = datetime(2023, 1, 1, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_placeholder_dated_versions_are_withdrawn_and_the_curated_one_reopened() -> None:
    apps = migrate(BEFORE)
    Provider, LanguageModel = (
        apps.get_model("pricing", "Provider"),
        apps.get_model("pricing", "LanguageModel"),
    )
    PriceVersion = apps.get_model("pricing", "PriceVersion")
    provider = Provider.objects.create(slug="acme", name="Acme")
    curated = LanguageModel.objects.create(
        provider=provider, slug="seeded", name="S", tokenizer_key="o200k_base"
    )
    imported = LanguageModel.objects.create(
        provider=provider, slug="imported", name="I", tokenizer_key="o200k_base"
    )
    rates = {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2, "change_reason": "r"}
    cut = datetime(2026, 10, 14, tzinfo=UTC)
    seed = PriceVersion.objects.create(
        model=curated,
        effective_from=datetime(2022, 6, 1, tzinfo=UTC),
        effective_to=PLACEHOLDER,
        origin="seed",
        **rates,
    )
    # A seeded model an import later gave a placeholder-dated version (the wrong load order).
    late = PriceVersion.objects.create(model=curated, effective_from=PLACEHOLDER, origin="import", **rates)
    undated = PriceVersion.objects.create(
        model=imported, effective_from=PLACEHOLDER, effective_to=cut, origin="import", **rates
    )
    dated = PriceVersion.objects.create(model=imported, effective_from=cut, origin="import", **rates)

    try:
        apps = migrate(AFTER)
        PriceVersion = apps.get_model("pricing", "PriceVersion")
        gone = PriceVersion.objects.filter(withdrawn_at__isnull=False)
        withdrawn = {version.pk: version.withdrawn_reason for version in gone}
        undated_from = PriceVersion.objects.get(pk=undated.pk).effective_from
        reopened = PriceVersion.objects.get(pk=seed.pk)
        count = PriceVersion.objects.count()
    finally:  # leave the schema as later tests expect it: every migration applied
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(withdrawn) == {undated.pk, dated.pk, late.pk}
    assert all("placeholder" in reason for reason in withdrawn.values())
    # Nothing was edited but the withdrawal and the reopened curated version: starts are intact.
    assert undated_from == PLACEHOLDER
    assert (reopened.effective_from, reopened.effective_to, reopened.withdrawn_at) == (
        seed.effective_from,
        None,
        None,
    )
    assert count == 4
