"""The offline import of the data bundled in genai-prices, after the seed catalogue.

Slow-ish (a few seconds): the one test that imports the whole real snapshot. Expected values
are genai-prices 0.2.3's own data and ../shared/PRODUCT.md "Facts for fixtures".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from pricing.bill import BillUsage
from pricing.models import LanguageModel, PriceProposal, PriceVersion
from pricing.refresh import refresh_prices
from pricing.selectors.bills import bill_for

pytestmark = pytest.mark.django_db


def history(provider: str, slug: str) -> list[PriceVersion]:
    versions = PriceVersion.objects.filter(model__provider__slug=provider, model__slug=slug)
    return list(versions.order_by("effective_from").prefetch_related("tiers"))


def test_the_bundled_snapshot_imports_offline_onto_the_seed_catalogue() -> None:
    # The seed alone (no history fixture): what an install without the history gets.
    call_command("load_catalogue", no_history=True, verbosity=0)
    seeded = LanguageModel.objects.filter(alias_of__isnull=True).count()
    run = refresh_prices(source="genai-prices", bundled=True)
    assert run.status == "succeeded", run.error
    assert run.models_seen == 2330 and run.models_created > 1900
    # Other names of one model are alias rows (one model, one row), not models of their own.
    assert LanguageModel.objects.filter(alias_of__isnull=True).count() == seeded + run.models_created
    # One model is one model: upstream ids and provider ids map onto the seeded ones.
    anthropic = LanguageModel.objects.filter(provider__slug="anthropic")
    assert anthropic.get(slug="claude-3-5-haiku-latest").alias_of.slug == "claude-3-5-haiku-20241022"
    assert not LanguageModel.objects.filter(provider__slug="x-ai").exists()
    mini = PriceVersion.objects.effective().get(model__provider__slug="openai", model__slug="gpt-4.1-mini")
    assert (mini.input_usd_per_mtok, mini.output_usd_per_mtok, mini.cache_read_usd_per_mtok) == (
        Decimal("0.4"),
        Decimal("1.6"),
        Decimal("0.1"),
    )
    # A new model gets its upstream-dated history; an undated price is dated by this run, never
    # by a constant, and one a dated price already replaced is left out.
    sonnet = history("anthropic", "claude-sonnet-4-5")
    assert [v.effective_from.date() for v in sonnet][-1] == date(2026, 10, 14)
    assert sonnet[-1].batch_input_usd_per_mtok == Decimal("1.5")
    imported = PriceVersion.objects.filter(import_run=run)
    assert not imported.filter(effective_from__lt=datetime(2024, 1, 1, tzinfo=UTC)).exists()
    starts = set(imported.exclude(start_basis="exact").values_list("effective_from", "start_basis"))
    [(seen, basis)] = starts  # one moment: this run's; no earlier run, so "first seen"
    assert run.started_at <= seen <= run.finished_at and basis == "first_seen"
    # A seeded model keeps its seed history; nothing earlier than its latest version is added.
    opus = history("anthropic", "claude-opus-4-6")
    assert [v.origin for v in opus] == ["seed", "seed"]
    assert opus[-1].effective_from.date() == date(2026, 3, 13)
    # Service tiers, peak hours and per-unit prices are kept, not noted as dropped (256 notes before).
    assert [p for p in run.problems if "note" in p] == []
    reasoner = "deepseek/deepseek-reasoner"  # peak 00:30-16:30 UTC at 0.55, else 0.135 per MTok
    usage = BillUsage(input_tokens=1_000_000)
    # Its price has no upstream date, so it holds from this import on: bill it tomorrow.
    tomorrow = (timezone.now() + timedelta(days=1)).date()
    peak, _ = bill_for(model_key=reasoner, usage=usage, at=datetime.combine(tomorrow, time(12), UTC))
    off_peak, _ = bill_for(model_key=reasoner, usage=usage, at=datetime.combine(tomorrow, time(20), UTC))
    assert (peak.total_usd, off_peak.total_usd) == (Decimal("0.55"), Decimal("0.135"))
    sonnet_batch, _ = bill_for(
        model_key="anthropic/claude-sonnet-4-5",
        usage=BillUsage(cache_read_tokens=100_000),
        service_tier="batch",
    )
    assert sonnet_batch.total_usd == Decimal("0.015")  # batch halves Sonnet's 0.30 cache read
    again = refresh_prices(source="genai-prices", bundled=True)
    assert again.status == "no_change" and again.payload_sha256 == run.payload_sha256


def test_the_bundled_snapshot_agrees_with_the_history_fixture_make_run_loads() -> None:
    call_command("load_catalogue", verbosity=0)
    models = LanguageModel.objects.filter(alias_of__isnull=True).count()  # alias rows are no models
    assert models > 2000
    run = refresh_prices(source="genai-prices", bundled=True)
    assert run.status == "succeeded", run.error
    # genai-prices 0.2.3 is the history's last snapshot: no model and no rate is new, and the
    # history's versions carry their sheets (service tiers, peak hours, per-unit prices), so only
    # a few sheets the curated seed words differently from genai-prices are added.
    assert run.models_created == 0
    added = PriceVersion.objects.filter(import_run=run)
    assert added.count() == run.versions_published <= 5
    assert all("service tiers, per-unit prices or time bands" in v.change_reason for v in added)
    # The fixture resolves batch variants as genai-prices does: mistral-large-4's batch rate from
    # 2026-10-29 is 0.35 / 1.05 (0.34 / 1.045 in a fixture built before the batch-variant fix).
    large = PriceVersion.objects.effective().get(
        model__provider__slug="mistral", model__slug="mistral-large-4"
    )
    assert (large.batch_input_usd_per_mtok, large.batch_output_usd_per_mtok) == (
        Decimal("0.35"),
        Decimal("1.05"),
    )
    # deepseek-chat was retired on 2026-07-24: genai-prices still lists it, but nothing is priced
    # or proposed for a model no longer sold.
    assert not PriceProposal.objects.filter(import_run=run).exists()
    assert LanguageModel.objects.filter(alias_of__isnull=True).count() == models
