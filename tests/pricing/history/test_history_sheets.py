"""The price history carries each version's sheet (service tiers, per-unit prices, batch rules).

Expected prices are Anthropic's published ones: Claude Opus 4.6 bills $5 / $25 per MTok with
cache reads at $0.50, and the Batch API halves every one of them, cache reads included; Opus 4.5
came at the same prices on 2025-11-24 (Opus 4.1: $15 / $75, cache reads $1.50). OpenAI's flex tier
bills GPT-5.4 at half its standard $2.50 / $15 (../shared/PRODUCT.md, "Facts for fixtures").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from pricing.bill import BillUsage
from pricing.bill.compare import bills_alike
from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.notation import sheet_from_notation
from pricing.bill.rates import Rates
from pricing.bill.sheet import PriceSheet
from pricing.history.fixture import CARRIED, read_fixture, write_fixture
from pricing.history.timeline import SnapshotFacts, replay, sheet_in_force
from pricing.models import LanguageModel, PriceVersion, Provider
from pricing.refresh import refresh_prices
from pricing.selectors.bills import bill_for
from pricing.services.versions import (
    Evidence,
    HistoryEntry,
    PriceRejected,
    publish_price_history,
    publish_price_version,
)
from pricing.sources.records import ParsedPayload, PricePoint, PriceRecord

T1 = datetime(2026, 8, 19, 23, 53, tzinfo=UTC)
T2 = datetime(2026, 8, 31, 9, 36, tzinfo=UTC)
T3 = datetime(2026, 10, 9, 17, 58, tzinfo=UTC)
FLEX = {"variants": {"flex": {"input": "1.25", "output": "7.5"}}}
OPUS_BATCH = BillUsage(input_tokens=50_000, cache_read_tokens=50_000, output_tokens=1_000)


def snapshot(version: str, at: datetime) -> SnapshotFacts:
    return SnapshotFacts("genai-prices", version, f"genai_prices-{version}.whl", at, "a" * 64, "b" * 64)


def gpt_54(sheet_notation: dict | None = None, inp: str = "2.5") -> ParsedPayload:
    rates = Rates(Decimal(inp), Decimal(6) * Decimal(inp))
    sheet = sheet_from_notation(rates, sheet_notation) if sheet_notation else None
    record = PriceRecord("openai", "gpt-5.4", "GPT-5.4", "gpt-5.4", (PricePoint(None, rates, sheet),))
    return ParsedPayload(records=[record], models_in_payload=1)


def test_a_change_only_in_the_sheet_is_a_version_dated_by_the_snapshot_that_first_shows_it() -> None:
    result = replay("genai-prices", [(snapshot("1", T1), gpt_54()), (snapshot("2", T2), gpt_54(FLEX))])
    first, flex = result.models["openai/gpt-5.4"].versions
    assert flex.change.rates == first.change.rates  # the flat rates held
    assert (flex.change.effective_from, flex.change.earliest) == (T2, T1)
    assert flex.change.sheet is not None
    assert flex.change.sheet.variants["flex"].prices["input"].usd == Decimal("1.25")


def test_a_version_without_a_sheet_of_its_own_carries_the_one_before_over_its_rates(tmp_path: Path) -> None:
    # The flex tier is listed once, then the standard price changes with no sheet in the snapshot.
    changed = replay(
        "genai-prices",
        [(snapshot("1", T1), gpt_54(FLEX)), (snapshot("2", T3), gpt_54(inp="3"))],
    ).models["openai/gpt-5.4"]
    assert changed.versions[-1].change.sheet is None
    carried = sheet_in_force(changed.versions)
    assert carried is not None and carried.variants["flex"].prices["input"].usd == Decimal("1.25")
    assert carried.variants["standard"].prices["input"].usd == Decimal("3")
    # The fixture keeps the sheet where carrying would not give it, and only there.
    path = tmp_path / "history.json.gz"
    write_fixture(path, [changed], {})
    [model], _ = read_fixture(path)
    listed, repriced = model.versions
    assert isinstance(listed.sheet, PriceSheet) and repriced.sheet == CARRIED
    assert bills_alike(
        listed.sheet, sheet_from_notation(listed.rates, FLEX) or sheet_from_rates(listed.rates)
    )


@pytest.mark.django_db
def test_the_opus_batch_bill_halves_cache_reads_at_every_moment_of_the_loaded_history() -> None:
    call_command("load_catalogue", verbosity=0)
    # From the seed's start (2026-02-05) through the history's dates (2026-07-30, 2026-10-14) to now.
    days = [date(2026, 2, 5), date(2026, 3, 20), date(2026, 8, 15), date(2026, 10, 20)]
    moments = [datetime.combine(day, time(12), UTC) for day in days] + [timezone.now()]
    origins = []
    for at in moments:
        bill, version = bill_for(
            model_key="anthropic/claude-opus-4-6", usage=OPUS_BATCH, at=at, service_tier="batch"
        )
        # 50,000 × 2.50 + 50,000 × 0.25 + 1,000 × 12.50 per MTok (full-price cache reads: 0.1625).
        assert bill.total_usd == Decimal("0.15"), at
        origins.append(version.origin)
    # The history's points for Opus 4.6 restate the seed's flat rates: curated facts win, so the
    # seed's versions bill at every moment (issue 21: an import that only restates publishes nothing).
    assert set(origins) == {"seed"}


@pytest.mark.django_db
def test_a_bundled_refresh_right_after_the_catalogue_adds_nothing_the_history_already_holds() -> None:
    call_command("load_catalogue", verbosity=0)
    run = refresh_prices(source="genai-prices", bundled=True)
    assert run.status == "succeeded", run.error
    published = PriceVersion.objects.filter(import_run=run).select_related("model__provider")
    for version in published:
        before = (
            PriceVersion.objects.filter(model=version.model, effective_from__lt=version.effective_from)
            .order_by("-effective_from")
            .first()
        )
        # Only where the curated seed words a sheet differently from genai-prices.
        assert before is not None and before.origin == "seed", version.model.key
    assert published.count() <= 5  # 182 sheet-only versions before the history carried sheets
    mini = PriceVersion.objects.effective().get(model__provider__slug="openai", model__slug="gpt-4.1-mini")
    assert mini.start_basis == "exact" and mini.effective_from.date() < date(2026, 11, 1)


@pytest.fixture
def opus_45(db) -> LanguageModel:
    anthropic = Provider.objects.create(slug="anthropic", name="Anthropic")
    model = LanguageModel.objects.create(provider=anthropic, slug="claude-opus-4-5", name="Claude Opus 4.5")
    rates = Rates(
        Decimal(15),
        Decimal(75),
        Decimal("1.5"),
        batch_input_usd_per_mtok=Decimal("7.5"),
        batch_output_usd_per_mtok=Decimal("37.5"),
    )
    publish_price_version(
        model=model,
        rates=rates,
        effective_from=datetime(2025, 8, 5, tzinfo=UTC),
        origin=PriceVersion.Origin.SEED,
        change_reason="Anthropic's price: batch halves cache reads too",
        sheet=sheet_from_rates(rates, batch_discounts_cache=True),
    )
    return model


# Opus 4.5 from 2025-11-24, as a history entry without a sheet of its own (it carries).
CUT = HistoryEntry(
    Rates(
        Decimal(5),
        Decimal(25),
        Decimal("0.5"),
        batch_input_usd_per_mtok=Decimal("2.5"),
        batch_output_usd_per_mtok=Decimal("12.5"),
    ),
    datetime(2025, 11, 24, tzinfo=UTC),
    "Opus 4.5 price cut",
    Evidence(),
)


def test_a_history_version_without_a_sheet_keeps_the_batch_cache_discount_over_its_new_rates(opus_45) -> None:
    assert publish_price_history(histories={opus_45: [CUT]}) == 1
    bill, version = bill_for(
        model_key="anthropic/claude-opus-4-5",
        usage=BillUsage(cache_read_tokens=100_000),
        at=datetime(2025, 12, 1, tzinfo=UTC),
        service_tier="batch",
    )
    assert version.change_reason == "Opus 4.5 price cut"
    assert bill.total_usd == Decimal("0.025")  # 100,000 × 0.25 per MTok, half the 0.50 cache read


def test_a_history_sheet_that_breaks_a_rule_is_refused_and_nothing_is_written(opus_45) -> None:
    # A batch input of 0.25 under a 0.50 cache read: a cache hit dearer than a miss.
    broken = sheet_from_rates(replace(CUT.rates, batch_input_usd_per_mtok=Decimal("0.25")))
    with pytest.raises(PriceRejected) as caught:
        publish_price_history(histories={opus_45: [replace(CUT, sheet=broken)]})
    assert caught.value.problems[0].field == "sheet"
    assert "anthropic/claude-opus-4-5" in caught.value.problems[0].message
    assert PriceVersion.objects.filter(model=opus_45).count() == 1
