"""Every era of genai-prices' bundled data.py, read without running it. Pure: no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pricing.history.eras import EraError, v2_payload_from_wheel
from pricing.sources import genai_prices_v2

from .conftest import genai_wheel, make_wheel

# Era "0" (2025-07): every field spelled out, None included, no conditional prices.
FIRST_ERA = """            ModelInfo(
                id='claude-2',
                match=ClauseStartsWith(starts_with='claude-2'),
                prices=ModelPrice(
                    requests_kcount=None,
                    input_mtok=Decimal('8'),
                    cache_write_mtok=None,
                    cache_read_mtok=None,
                    output_mtok=Decimal('24'),
                ),
                name='Claude 2.0 / 2.1',
                context_window=200000,
                price_comments=None,
            ),"""

# Later eras: dated prices, time-of-day windows (UTC times), tiers and a batch variant.
LATER_ERA = """            ModelInfo(
                id='deepseek-chat',
                match=ClauseOr(or_=[ClauseEquals(equals='deepseek-chat'), ClauseEquals(equals='ds')]),
                name='DeepSeek Chat',
                prices=[
                    ConditionalPrice(
                        prices=ModelPrice(input_mtok=Decimal('0.27'), output_mtok=Decimal('1.1'))
                    ),
                    ConditionalPrice(
                        constraint=StartDateConstraint(start_date=datetime.date(2025, 9, 5)),
                        prices=ModelPrice(input_mtok=Decimal('0.56'), output_mtok=Decimal('1.68')),
                    ),
                ],
            ),
            ModelInfo(
                id='gemini-pro',
                match=ClauseEquals(equals='gemini-pro'),
                prices=ModelPrice(
                    input_mtok=TieredPrices(
                        base=Decimal('1.25'), tiers=[Tier(start=200000, price=Decimal('2.5'))]
                    ),
                    output_mtok=Decimal('10'),
                ),
                price_variants=[
                    PriceVariant(
                        when={'processing': 'batch'},
                        constraint=StartDateConstraint(start_date=datetime.date(2026, 10, 14)),
                        prices=ModelPrice(input_mtok=Decimal('0.625'), output_mtok=Decimal('5')),
                    )
                ],
            ),"""


def parse(models: str):
    return {r.key: r for r in genai_prices_v2.parse(v2_payload_from_wheel(genai_wheel(models))).records}


def test_it_reads_the_first_era_where_every_field_is_listed() -> None:
    [record] = parse(FIRST_ERA).values()
    assert record.key == "acme/claude-2" and record.context_window == 200000
    [point] = record.history
    assert point.effective_from is None
    assert (point.rates.input_usd_per_mtok, point.rates.output_usd_per_mtok) == (Decimal("8"), Decimal("24"))
    assert point.rates.cache_read_usd_per_mtok is None


def test_it_reads_dated_prices_tiers_and_batch_variants_of_later_eras() -> None:
    records = parse(LATER_ERA)
    chat = records["acme/deepseek-chat"]
    assert [(p.effective_from, p.rates.input_usd_per_mtok) for p in chat.history] == [
        (None, Decimal("0.27")),
        (date(2025, 9, 5), Decimal("0.56")),
    ]
    gemini = records["acme/gemini-pro"].history
    assert gemini[0].rates.tiers[0].threshold_tokens == 200000
    assert gemini[0].rates.tiers[0].input_usd_per_mtok == Decimal("2.5")
    assert gemini[-1].effective_from == date(2026, 10, 14)
    assert gemini[-1].rates.batch_input_usd_per_mtok == Decimal("0.625")


def test_it_never_runs_the_data_module() -> None:
    hostile = "            ModelInfo(id=__import__('os').system('touch /tmp/pwned')),"
    with pytest.raises(EraError, match="positional|unexpected"):
        v2_payload_from_wheel(genai_wheel(hostile))


def test_a_wheel_without_price_data_is_reported_not_guessed() -> None:
    with pytest.raises(EraError, match="no price data"):
        v2_payload_from_wheel(make_wheel({"genai_prices/__init__.py": b""}))
