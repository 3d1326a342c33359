"""Planning an import with sheets: a new service tier or peak band is a change, a different
spelling of the same prices is not, and batch is never dropped by a source silent about it."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal as D

from pricing.bill.compare import bills_alike
from pricing.bill.from_rates import sheet_from_rates
from pricing.bill.rates import Rates
from pricing.sources.diff import PROPOSE, PUBLISH, CatalogueState, start_of
from pricing.sources.records import PricePoint, PriceRecord
from pricing.sources.sheet_diff import plan_prices

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
    (change,) = plan_prices(upstream, state, now=NOW, source="genai-prices")
    assert (change.action, change.effective_from, change.rates) == (
        PUBLISH,
        start_of(date(2026, 10, 12)),
        MINI,
    )
    assert set(change.sheet.variants) == {"standard", "priority"}


def test_the_same_prices_spelt_differently_are_no_change():
    upstream = record(PricePoint(None, MINI, sheets.gpt_4_1_mini()))
    state = CatalogueState(EARLIER, MINI, latest_sheet=sheet_from_rates(MINI))
    assert plan_prices(upstream, state, now=NOW, source="genai-prices") == []


def test_a_sheet_change_to_a_locked_price_is_proposed():
    upstream = record(PricePoint(None, MINI, sheets.gpt_5_4()))
    state = CatalogueState(EARLIER, MINI, locked=True)
    (change,) = plan_prices(upstream, state, now=NOW, source="genai-prices")
    assert change.action == PROPOSE and change.effective_from == NOW


def test_a_source_silent_about_batch_keeps_the_catalogues_batch():
    opus = sheets.opus_4_6()
    no_batch = replace(opus, variants={"standard": opus.variants["standard"]})
    rates = Rates(D("5"), D("25"))
    upstream = record(PricePoint(None, rates, no_batch))
    state = CatalogueState(EARLIER, rates, latest_sheet=opus)
    assert plan_prices(upstream, state, now=NOW, source="genai-prices") == []


def test_a_first_import_carries_each_points_sheet():
    upstream = record(PricePoint(None, MINI, sheets.gpt_4_1_mini()))
    (change,) = plan_prices(upstream, None, now=NOW, source="genai-prices")
    assert change.sheet == sheets.gpt_4_1_mini()
