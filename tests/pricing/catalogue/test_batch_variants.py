"""The genai-prices parser's batch rates, against the published data and genai-prices' own resolver.

No database. Expected values are the rates the genai-prices 0.2.3 data publishes (brief and issue 11
quote them) and whatever ``genai_prices``' own ``get_prices`` answers for a batch request.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from genai_prices import data

from pricing.sources import genai_prices_v2
from pricing.sources.records import PriceRecord


@pytest.fixture(scope="module")
def bundled() -> dict[str, PriceRecord]:
    parsed = genai_prices_v2.parse(genai_prices_v2.bundled_payload())
    return {r.key: r for r in parsed.records}


def batch_on(record: PriceRecord, day: date) -> tuple[Decimal | None, Decimal | None]:
    point = [p for p in record.history if p.effective_from is None or p.effective_from <= day][-1]
    return point.rates.batch_input_usd_per_mtok, point.rates.batch_output_usd_per_mtok


def test_mistral_large_4_batch_follows_the_latest_starting_variant(bundled: dict[str, PriceRecord]) -> None:
    large = bundled["mistral/mistral-large-4"]
    assert batch_on(large, date(2026, 10, 14)) == (Decimal("0.34"), Decimal("1.045"))
    assert batch_on(large, date(2026, 10, 20)) == (Decimal("0.68"), Decimal("2.09"))
    assert batch_on(large, date(2026, 10, 29)) == (Decimal("0.35"), Decimal("1.05"))


def test_a_scheduled_gemini_batch_rate_takes_over_on_its_start_date(bundled: dict[str, PriceRecord]) -> None:
    flash = bundled["google/gemini-3.6-flash"]
    assert batch_on(flash, date(2026, 11, 1)) == (Decimal("0.375"), Decimal("1.875"))
    assert batch_on(flash, date(2027, 1, 1)) == (Decimal("0.75"), Decimal("3.75"))
    argon = bundled["google/gemini-4-argon"]
    assert batch_on(argon, date(2026, 12, 1)) == (Decimal("2"), Decimal("10"))


def _upstream_batch(model: object, day: date) -> tuple[Decimal, Decimal]:
    moment = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    prices = model.get_prices(moment, {"processing": "batch"})  # type: ignore[attr-defined]
    return tuple(  # type: ignore[return-value]
        value.base if hasattr(value, "base") else value for value in (prices.input_mtok, prices.output_mtok)
    )


def test_every_batch_rate_matches_genai_prices_own_resolution_on_every_start(
    bundled: dict[str, PriceRecord],
) -> None:
    checked = 0
    for provider in data.providers:
        for model in provider.models:
            key = next(
                (
                    k
                    for k in bundled
                    if bundled[k].upstream_id == model.id
                    and k.startswith(genai_prices_v2.canonical_provider(provider.id) + "/")
                ),
                None,
            )
            if key is None or not model.price_variants:
                continue
            for point in bundled[key].history:
                if point.rates.batch_input_usd_per_mtok is None or point.effective_from is None:
                    continue
                expected = _upstream_batch(model, point.effective_from)
                assert batch_on(bundled[key], point.effective_from) == expected, (key, point.effective_from)
                checked += 1
    assert checked > 50
