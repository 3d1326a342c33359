"""Golden bills: each expected total is worked out by hand from the published prices and rules
named in ``bill_sheets`` (never taken from our own output)."""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from pricing.bill import BillError, BillUsage, ImageInput, PriceSheet, TierRule, Variant, compute_bill

from . import bill_sheets as sheets

NOON = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def bill(sheet, tier="standard", at=NOON, provider="", model="", **usage):
    images = tuple(ImageInput(*image) for image in usage.pop("images", ()))
    return compute_bill(
        sheet, BillUsage(images=images, **usage), at=at, service_tier=tier, provider=provider, model=model
    )


def test_anthropic_batch_halves_cache_reads_too():
    result = bill(
        sheets.opus_4_6(), "batch", input_tokens=50_000, cache_read_tokens=50_000, output_tokens=1_000
    )
    assert result.total_usd == D("0.15")
    assert [(line.what, line.usd) for line in result.lines] == [
        ("input", D("0.125")),
        ("cache_read", D("0.0125")),
        ("output", D("0.0125")),
    ]


@pytest.mark.parametrize(
    ("tier", "field", "expected"),
    [
        ("standard", "cache_write_5m_tokens", "0.0625"),
        ("standard", "cache_write_1h_tokens", "0.1"),
        ("batch", "cache_write_5m_tokens", "0.03125"),
        ("batch", "cache_write_1h_tokens", "0.05"),
    ],
)
def test_each_cache_lifetime_is_billed_at_its_own_rate(tier, field, expected):
    assert bill(sheets.opus_4_6(), tier, **{field: 10_000}).total_usd == D(expected)


def test_a_1h_write_without_its_own_rate_costs_a_5m_write():
    sheet = PriceSheet(
        variants={
            "standard": Variant("standard", sheets.per_mtok(input="1", output="2", cache_write_5m="1.25"))
        }
    )
    line = bill(sheet, cache_write_1h_tokens=1_000_000).lines[0]
    assert (line.usd, line.rate_kind) == (D("1.25"), "cache_write_5m")


def test_opus_before_2026_03_13_reprices_the_whole_request_above_200k():
    sheet = sheets.opus_4_6(long_context_tier=True)
    assert bill(sheet, input_tokens=200_000).total_usd == D("1")
    over = bill(sheet, input_tokens=199_001, cache_read_tokens=1_000, output_tokens=1_000)
    assert over.total_usd == D("1.99001") + D("0.001") + D("0.0375")
    assert {line.tier_threshold_tokens for line in over.lines} == {200_000}


def test_gpt_5_4_at_exactly_272000_input_tokens_stays_on_the_base_rate():
    result = bill(sheets.gpt_5_4(), input_tokens=172_000, cache_read_tokens=100_000, output_tokens=1_000)
    assert result.total_usd == D("0.43") + D("0.025") + D("0.015")
    assert result.threshold is None


def test_gpt_5_4_one_cached_token_over_272000_moves_the_whole_request_up():
    result = bill(sheets.gpt_5_4(), input_tokens=172_000, cache_read_tokens=100_001, output_tokens=1_000)
    assert result.total_usd == D("0.86") + D("0.0500005") + D("0.0225")
    assert result.threshold.tokens_over == 1
    assert result.threshold.counted_tokens == 272_001


def test_gpt_5_4_golden_from_genai_prices_300000_in_1000_out():
    assert bill(sheets.gpt_5_4(), input_tokens=300_000, output_tokens=1_000).total_usd == D("1.5225")


def test_the_threshold_notice_says_what_trimming_saves():
    result = bill(sheets.gpt_5_4(), input_tokens=272_001, output_tokens=1_000)
    # 272,001 at 5 + 1,000 at 22.50 vs 272,000 at 2.50 + 1,000 at 15.
    assert result.threshold.saving_usd == D("1.382505") - D("0.695")


def test_gpt_4_1_mini_golden_1000_in_500_out():
    assert bill(sheets.gpt_4_1_mini(), input_tokens=1_000, output_tokens=500).total_usd == D("0.0012")


@pytest.mark.parametrize(
    ("tier", "expected"),
    [("standard", "0.0475"), ("batch", "0.02375"), ("flex", "0.02375"), ("priority", "0.095")],
)
def test_each_gpt_5_4_service_tier_bills_its_own_rates(tier, expected):
    result = bill(sheets.gpt_5_4(), tier, input_tokens=10_000, output_tokens=1_500)
    assert result.total_usd == D(expected)
    assert {line.variant for line in result.lines} == {tier}


def test_openai_batch_cached_input_has_its_own_published_rate():
    assert bill(sheets.gpt_5_4(), "batch", cache_read_tokens=100_000).total_usd == D("0.013")


@pytest.mark.parametrize(("tokens", "expected"), [(200_000, D("0.4")), (200_001, D("0.800004"))])
def test_gemini_3_1_pro_on_both_sides_of_200k(tokens, expected):
    assert bill(sheets.gemini_3_1_pro(), input_tokens=tokens).total_usd == expected


def test_web_searches_are_billed_per_thousand():
    result = bill(sheets.gemini_3_1_pro(), input_tokens=1_000, web_searches=5)
    assert result.lines[-1].what == "web_search"
    assert result.lines[-1].usd == D("0.07")
    assert result.total_usd == D("0.002") + D("0.07")


@pytest.mark.parametrize(
    ("moment", "variant"),
    [
        ("2026-11-27T00:59:59+00:00", "standard"),  # Friday 08:59:59 in Beijing
        ("2026-11-27T01:00:00+00:00", "peak"),
        ("2026-11-27T03:59:59+00:00", "peak"),
        ("2026-11-27T04:00:00+00:00", "standard"),
        ("2026-11-27T05:59:59+00:00", "standard"),
        ("2026-11-27T06:00:00+00:00", "peak"),
        ("2026-11-27T09:59:59+00:00", "peak"),
        ("2026-11-27T10:00:00+00:00", "standard"),
        ("2026-11-28T02:00:00+00:00", "standard"),  # Saturday: off-peak all day
        ("2026-11-29T23:30:00+00:00", "standard"),  # Monday 07:30 in Beijing
        ("2026-11-30T01:00:00+00:00", "peak"),  # Monday 09:00 in Beijing
    ],
)
def test_deepseek_peak_band_boundaries(moment, variant):
    result = bill(sheets.deepseek_v4_pro(), at=datetime.fromisoformat(moment), input_tokens=1_000_000)
    assert result.variant == variant
    assert result.total_usd == (D("1.32") if variant == "peak" else D("0.66"))


def test_a_band_only_variant_is_not_a_service_tier():
    with pytest.raises(BillError) as error:
        bill(sheets.deepseek_v4_pro(), "peak", input_tokens=1)
    assert error.value.field == "service_tier"


def test_an_inclusive_threshold_counting_input_only():
    rule = TierRule(100, sheets.per_mtok(input="2"), counted_kinds=frozenset({"input"}), inclusive=True)
    sheet = PriceSheet(
        variants={"standard": Variant("standard", sheets.per_mtok(input="1", output="1"), (rule,))}
    )
    assert bill(sheet, input_tokens=99, cache_read_tokens=10).lines[0].rate_usd == D("1")
    assert bill(sheet, input_tokens=100).lines[0].rate_usd == D("2")


def test_reasoning_tokens_without_their_own_rate_are_billed_as_output():
    line = bill(sheets.gpt_4_1_mini(), reasoning_tokens=1_000_000).lines[0]
    assert (line.what, line.rate_kind, line.usd) == ("reasoning", "output", D("1.6"))


def test_audio_seconds_are_billed_per_hour():
    assert bill(sheets.whisper_1(), audio_seconds=90).total_usd == D("0.009")


def test_a_per_request_fee_is_one_line():
    result = bill(sheets.sonar(), input_tokens=1_000, output_tokens=1_000)
    assert result.lines[-1].what == "request"
    assert result.total_usd == D("0.002") + D("0.012")


def test_an_image_on_gpt_4_1_is_billed_as_its_tiles():
    sheet = PriceSheet(variants={"standard": Variant("standard", sheets.per_mtok(input="2", output="8"))})
    result = bill(sheet, provider="openai", model="gpt-4.1", images=[(1024, 1024, "high")])
    assert (result.lines[0].what, result.lines[0].quantity) == ("input_image", 765)
    assert result.total_usd == D("0.00153")


def test_an_unknown_service_tier_is_refused_naming_the_field():
    with pytest.raises(BillError) as error:
        bill(sheets.gpt_4_1_mini(), "flex", input_tokens=1)
    assert error.value.field == "service_tier"
    assert "standard" in error.value.message


@pytest.mark.parametrize(
    ("usage", "field"),
    [
        ({"input_tokens": -1}, "usage.input_tokens"),
        ({"output_tokens": 10**12}, "usage.output_tokens"),
        ({"web_searches": 3}, "usage.web_searches"),
        ({"images": [(0, 10, "high")]}, "usage.images[0]"),
        ({"images": [(10, 10, "huge")]}, "usage.images[0].detail"),
        ({"images": [(10, 10, "high")]}, "usage.images"),  # GPT-4.1 mini counts patches
    ],
)
def test_bad_usage_is_refused_naming_the_field(usage, field):
    with pytest.raises(BillError) as error:
        bill(sheets.gpt_4_1_mini(), provider="openai", model="gpt-4.1-mini", **usage)
    assert error.value.field == field


def test_a_moment_without_a_time_zone_is_refused():
    with pytest.raises(BillError) as error:
        bill(sheets.gpt_4_1_mini(), at=datetime(2026, 11, 27, 12), input_tokens=1)  # noqa: DTZ001
    assert error.value.field == "at"


def test_an_image_without_a_published_rule_is_refused():
    with pytest.raises(BillError) as error:
        bill(sheets.sonar(), provider="perplexity", model="sonar", images=[(10, 10, "auto")])
    assert error.value.field == "usage.images"


def test_a_threshold_that_does_not_count_input_offers_no_trimming_saving():
    rule = TierRule(100, sheets.per_mtok(cache_read="1"), counted_kinds=frozenset({"cache_read"}))
    prices = sheets.per_mtok(input="1", output="1", cache_read="0.5")
    sheet = PriceSheet(variants={"standard": Variant("standard", prices, (rule,))})
    result = bill(sheet, input_tokens=1_000, cache_read_tokens=101)
    assert (result.threshold.tokens_over, result.threshold.saving_usd) == (1, None)
