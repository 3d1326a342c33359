"""Flat rates are a view of the sheet: what a sheet shows as flat rates, and back again."""

from dataclasses import replace
from datetime import time
from decimal import Decimal as D

from pricing.bill.compare import bills_alike
from pricing.bill.from_rates import rates_of_sheet, sheet_from_rates
from pricing.bill.rates import Rates, TierRates
from pricing.bill.sheet import TimeBand

from . import bill_sheets as sheets

# GPT-5.4 as OpenAI's pricing page lists it: 2.50 / 15, cache read 0.25, batch half, and above
# 272,000 prompt tokens 5 / 22.50 (cache read 0.50).
GPT_54 = Rates(
    D("2.5"),
    D("15"),
    D("0.25"),
    batch_input_usd_per_mtok=D("1.25"),
    batch_output_usd_per_mtok=D("7.5"),
    tiers=(TierRates(272_000, D("5"), D("22.5"), D("0.5")),),
)


def test_the_flat_rates_of_the_sheet_flat_rates_imply_bill_as_those_rates():
    flat = rates_of_sheet(sheet_from_rates(GPT_54))
    assert flat is not None
    # The implied sheet spells out fallbacks (a 5-minute cache write at the input rate).
    assert flat.cache_write_5m_usd_per_mtok == D("2.5")
    assert (flat.input_usd_per_mtok, flat.output_usd_per_mtok, flat.cache_read_usd_per_mtok) == (
        D("2.5"),
        D("15"),
        D("0.25"),
    )
    assert (flat.batch_input_usd_per_mtok, flat.batch_output_usd_per_mtok) == (D("1.25"), D("7.5"))
    [tier] = flat.tiers
    assert (tier.threshold_tokens, tier.input_usd_per_mtok, tier.output_usd_per_mtok) == (
        272_000,
        D("5"),
        D("22.5"),
    )
    assert bills_alike(sheet_from_rates(flat), sheet_from_rates(GPT_54))


def test_with_time_bands_the_flat_rates_are_those_in_force_for_most_of_the_day():
    # DeepSeek V4 Pro: 0.66 / 1.98 off-peak, twice that at peak (DeepSeek's pricing page).
    pro = sheets.deepseek_v4_pro()
    assert rates_of_sheet(pro) == Rates(D("0.66"), D("1.98"), D("0.022"))
    peak_most_of_the_day = replace(pro, bands=(TimeBand("peak", time(6), time(1)),))  # 19 hours
    assert rates_of_sheet(peak_most_of_the_day) == Rates(D("1.32"), D("3.96"), D("0.044"))


def test_a_sheet_without_a_token_price_has_no_flat_rates():
    assert rates_of_sheet(sheets.whisper_1()) is None
