"""The offline import of the data bundled in genai-prices, after the seed catalogue.

Slow-ish (a few seconds): the one test that imports the whole real snapshot. Expected values
are genai-prices 0.2.3's own data and ../shared/PRODUCT.md "Facts for fixtures".
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from pricing.bill import BillUsage
from pricing.models import LanguageModel, PriceProposal, PriceVersion
from pricing.refresh import refresh_prices
from pricing.selectors.bills import bill_for
from pricing.sources import genai_prices_v2
from pricing.sources.sanity import review_reasons

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
    # deepseek-reasoner is seeded from DeepSeek's pages and retired (2026-07-24 15:59 UTC): genai-prices'
    # undated reading of it (a 2025 night discount as every-day UTC bands) publishes nothing over it.
    reasoner = "deepseek/deepseek-reasoner"
    assert {v.origin for v in history("deepseek", "deepseek-reasoner")} == {"seed"}
    usage = BillUsage(input_tokens=1_000_000)
    july, _ = bill_for(model_key=reasoner, usage=usage, at=datetime(2026, 7, 1, 20, tzinfo=UTC))
    assert july.total_usd == Decimal("0.14")  # V4 Flash's input price, which the alias served
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

    def listed() -> set[str]:
        rows = LanguageModel.objects.filter(alias_of__isnull=True).select_related("provider")
        return {f"{m.provider.slug}/{m.slug}" for m in rows}

    before = listed()
    models = LanguageModel.objects.filter(alias_of__isnull=True).count()  # alias rows are no models
    assert models > 2000
    run = refresh_prices(source="genai-prices", bundled=True)
    assert run.status == "succeeded", run.error
    # genai-prices 0.2.3 is the history's last snapshot: no model and no rate is new, and the
    # history's versions carry their sheets (service tiers, peak hours, per-unit prices), so only
    # a few sheets the curated seed words differently from genai-prices are added. The rows the
    # review rules hold, which the history's replay leaves out, are the only models created and
    # the only proposals (OpenRouter's ~z-ai/glm-latest at 0.042 / 6, moonshotai/kimi-k3's
    # 0.239 / 11.936 point, ...): queued for review, never published.
    held = set(review_reasons(genai_prices_v2.parse(genai_prices_v2.bundled_payload()).records))
    after = listed()
    assert len(after - before) == run.models_created and after - before <= held
    proposed = {
        f"{p.model.provider.slug}/{p.model.slug}"
        for p in PriceProposal.objects.filter(import_run=run).select_related("model__provider")
    }
    assert proposed and proposed <= held and run.proposals_created == 5
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
    assert "deepseek/deepseek-chat" not in proposed
    assert LanguageModel.objects.filter(alias_of__isnull=True).count() == models + run.models_created


def test_the_bundled_import_leaves_curated_versions_and_their_peak_hours_standing(client) -> None:
    # A fresh install: seed and history fixture, then the bundled snapshot (``make catalogue``).
    call_command("load_catalogue", verbosity=0)
    run = refresh_prices(source="genai-prices", bundled=True)
    assert run.status in ("succeeded", "no_change"), run.error
    # genai-prices restates the seed's GPT-5.4 and DeepSeek V4 prices (its DeepSeek peak hours
    # read every day in UTC): curated facts win, so nothing is published over them.
    restated = ["openai/gpt-5.4", "deepseek/deepseek-v4-pro", "deepseek/deepseek-v4-flash"]
    published = PriceVersion.objects.filter(import_run=run).select_related("model__provider")
    assert not [v for v in published if v.model.key in restated]
    # DeepSeek's peak hours are on weekdays only, in Beijing time, at twice the off-peak price
    # (DeepSeek's pricing page, ../shared/PRODUCT.md): a Sunday bills off-peak.
    today = timezone.now().date()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    at = {  # 02:00 UTC is 10:00 in Beijing, inside the 09:00-12:00 peak band on a weekday
        "sunday_10h_beijing": datetime.combine(sunday, time(2), UTC),
        "monday_10h_beijing": datetime.combine(sunday + timedelta(days=1), time(2), UTC),
        "monday_20h_beijing": datetime.combine(sunday + timedelta(days=1), time(12), UTC),
    }
    for model in restated[1:]:
        totals = {
            name: estimate_total(client, model, moment.isoformat().replace("+00:00", "Z"))
            for name, moment in at.items()
        }
        assert totals["sunday_10h_beijing"] == totals["monday_20h_beijing"], (model, totals)
        assert totals["monday_10h_beijing"] == 2 * totals["monday_20h_beijing"], (model, totals)


def estimate_total(client, model: str, as_of: str) -> Decimal:
    body = {"input_tokens": 1_000_000, "output_tokens": 0, "models": [model], "as_of": as_of}
    response = client.post("/api/v1/estimate", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    return Decimal(row["total_usd"])


@pytest.mark.django_db
def test_the_history_load_publishes_nothing_over_a_curated_version_it_only_restates() -> None:
    # The seed dates DeepSeek V4 Pro's peak bands from 2026-08-16 16:00 UTC (DeepSeek's notice);
    # the history's 2026-08-17 point restates its rates with bands read every day in UTC.
    call_command("load_catalogue", verbosity=0)
    origins = PriceVersion.objects.filter(
        model__provider__slug="deepseek", model__slug="deepseek-v4-pro"
    ).values_list("origin", flat=True)
    assert set(origins) == {"seed"}
