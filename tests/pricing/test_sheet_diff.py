"""Planning an import with sheets: a new service tier or peak band is a change, a different
spelling of the same prices is not, and batch is never dropped by a source silent about it."""

from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal as D

from pricing.bill.compare import bills_alike
from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.rates import Rates
from pricing.bill.sheet import PriceSheet, TimeBand, Variant
from pricing.sources.diff import PROPOSE, PUBLISH, CatalogueState, plan_model, start_of
from pricing.sources.records import PricePoint, PriceRecord

from . import bill_sheets as sheets

NOW = datetime(2026, 11, 27, tzinfo=UTC)
EARLIER = datetime(2026, 1, 1, tzinfo=UTC)  # when the catalogue's latest version started
MINI = Rates(D("0.4"), D("1.6"), D("0.1"))


def record(*points):
    return PriceRecord("openai", "gpt-4.1-mini", "GPT-4.1 mini", "gpt-4.1-mini", tuple(points))


def test_flat_rates_and_the_sheet_they_imply_bill_alike():
    assert bills_alike(sheet_from_rates(MINI), sheets.gpt_4_1_mini())


def test_a_new_service_tier_on_a_later_date_is_a_change_with_the_same_flat_rates():
    with_priority = replace(
        sheets.gpt_4_1_mini(),
        variants={**sheets.gpt_4_1_mini().variants, "priority": sheets.gpt_5_4().variants["priority"]},
    )
    upstream = record(
        PricePoint(None, MINI, sheets.gpt_4_1_mini()), PricePoint(date(2026, 10, 12), MINI, with_priority)
    )
    state = CatalogueState(EARLIER, MINI)
    (change,) = plan_model(upstream, state, now=NOW, source="genai-prices")
    assert (change.action, change.effective_from, change.rates) == (
        PUBLISH,
        start_of(date(2026, 10, 12)),
        MINI,
    )
    assert set(change.sheet.variants) == {"standard", "priority"}


def test_the_same_prices_spelt_differently_are_no_change():
    upstream = record(PricePoint(None, MINI, sheets.gpt_4_1_mini()))
    state = CatalogueState(EARLIER, MINI, latest_sheet=sheet_from_rates(MINI))
    assert plan_model(upstream, state, now=NOW, source="genai-prices") == []


def test_a_sheet_change_to_a_locked_price_is_proposed():
    upstream = record(PricePoint(None, MINI, sheets.gpt_5_4()))
    state = CatalogueState(EARLIER, MINI, locked=True)
    (change,) = plan_model(upstream, state, now=NOW, source="genai-prices")
    assert change.action == PROPOSE and change.effective_from == NOW


def test_a_source_silent_about_batch_keeps_the_catalogues_batch():
    opus = sheets.opus_4_6()
    no_batch = replace(opus, variants={"standard": opus.variants["standard"]})
    rates = Rates(D("5"), D("25"))
    upstream = record(PricePoint(None, rates, no_batch))
    state = CatalogueState(EARLIER, rates, latest_sheet=opus)
    assert plan_model(upstream, state, now=NOW, source="genai-prices") == []


def test_a_first_import_carries_each_points_sheet():
    upstream = record(PricePoint(None, MINI, sheets.gpt_4_1_mini()))
    (change,) = plan_model(upstream, None, now=NOW, source="genai-prices")
    assert change.sheet == sheets.gpt_4_1_mini()


# DeepSeek's peak hours as DeepSeek's pricing page states them (Monday-Friday, Beijing time,
# ``bill_sheets.deepseek_v4_pro``) and as genai-prices 0.2.3 reads them: every day, in UTC.
V4_PRO = Rates(D("0.66"), D("1.98"), D("0.022"))


def utc_reading(sheet):
    bands = tuple(TimeBand("peak", start, end) for start, end in ((time(1), time(4)), (time(6), time(10))))
    return replace(sheet, bands=bands)


def v4_pro_record(*points):
    return PriceRecord("deepseek", "deepseek-v4-pro", "DeepSeek V4 Pro", "deepseek-v4-pro", tuple(points))


def test_a_refresh_that_restates_a_curated_version_publishes_nothing():
    curated = CatalogueState(EARLIER, V4_PRO, latest_sheet=sheets.deepseek_v4_pro(), curated=True)
    coarser = utc_reading(sheets.deepseek_v4_pro())
    upstream = v4_pro_record(PricePoint(None, V4_PRO, coarser))
    assert plan_model(upstream, curated, now=NOW, source="genai-prices") == []
    # The same reading over an imported version is a change of its bands (the source's own fact).
    imported = replace(curated, curated=False)
    [change] = plan_model(upstream, imported, now=NOW, source="genai-prices")
    assert change.sheet == coarser


def test_a_real_rate_change_over_a_curated_version_keeps_its_bands_and_time_zone():
    curated = CatalogueState(EARLIER, V4_PRO, latest_sheet=sheets.deepseek_v4_pro(), curated=True)
    cut = Rates(D("0.435"), D("0.87"), D("0.003625"))
    upstream_sheet = utc_reading(
        PriceSheet(
            variants={
                "standard": Variant(
                    "standard", sheets.per_mtok(input="0.435", output="0.87", cache_read="0.003625")
                ),
                "peak": Variant("peak", sheets.per_mtok(input="0.87", output="1.74", cache_read="0.00725")),
            }
        )
    )
    [change] = plan_model(v4_pro_record(PricePoint(None, cut, upstream_sheet)), curated, now=NOW, source="t")
    assert change.rates == cut and change.sheet is not None
    assert change.sheet.bands == sheets.deepseek_v4_pro().bands
    assert change.sheet.variants["peak"].prices["input"].usd == D("0.87")
    sunday_morning_in_beijing = datetime(2026, 12, 6, 2, tzinfo=UTC)  # 10:00 in Asia/Shanghai
    assert change.sheet.variant_for("standard", sunday_morning_in_beijing).name == "standard"
    assert change.sheet.variant_for("standard", datetime(2026, 12, 7, 2, tzinfo=UTC)).name == "peak"
