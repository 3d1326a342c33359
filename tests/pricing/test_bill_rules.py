"""A sheet that breaks a pricing rule is refused, with the variant and kind named."""

from datetime import time
from decimal import Decimal as D

from pricing.bill import PriceSheet, TierRule, TimeBand, UnitPrice, Variant
from pricing.bill.rules import sheet_problems

from . import bill_sheets as sheets


def standard(**rates):
    return Variant("standard", sheets.per_mtok(**rates))


def test_the_published_sheets_pass():
    for make in (
        sheets.opus_4_6,
        sheets.gpt_5_4,
        sheets.gemini_3_1_pro,
        sheets.deepseek_v4_pro,
        sheets.sonar,
    ):
        assert sheet_problems(make()) == []


def test_a_negative_price_is_refused():
    problems = sheet_problems(PriceSheet({"standard": standard(input="-1", output="1")}))
    assert problems == ["standard: input must be a finite amount of at least 0"]


def test_a_cache_read_above_input_is_refused():
    assert sheet_problems(PriceSheet({"standard": standard(input="1", output="1", cache_read="2")})) == [
        "standard: cache_read must not be above input"
    ]


def test_a_1h_write_below_a_5m_write_is_refused():
    sheet = PriceSheet({"standard": standard(input="1", output="1", cache_write_5m="2", cache_write_1h="1")})
    assert sheet_problems(sheet) == ["standard: cache_write_5m must not be above cache_write_1h"]


def test_batch_above_standard_is_refused():
    sheet = PriceSheet(
        {"standard": standard(input="1", output="1"), "batch": Variant("batch", sheets.per_mtok(input="2"))}
    )
    assert sheet_problems(sheet) == ["batch input is above standard"]


def test_a_tier_below_its_base_is_refused():
    tier = TierRule(1000, sheets.per_mtok(input="0.5"))
    sheet = PriceSheet({"standard": Variant("standard", sheets.per_mtok(input="1", output="1"), (tier,))})
    assert sheet_problems(sheet) == ["standard: above 1,000 tokens, input is below its base"]


def test_a_band_must_switch_to_a_known_variant_in_a_known_time_zone():
    band = TimeBand("peak", time(9), time(12), time_zone="Mars/Olympus")
    problems = sheet_problems(PriceSheet({"standard": standard(input="1", output="1")}, bands=(band,)))
    assert problems == [
        "band 09:00-12:00 (peak): must switch to another variant of this version",
        "band 09:00-12:00 (peak): unknown time zone 'Mars/Olympus'",
    ]


def test_an_unknown_kind_is_refused():
    sheet = PriceSheet(
        {"standard": Variant("standard", {"input": UnitPrice(D(1)), "telepathy": UnitPrice(D(1))})}
    )
    assert sheet_problems(sheet) == ["standard: unknown price kind 'telepathy'"]
