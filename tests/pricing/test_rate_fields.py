"""The rate fields are declared once, in the cost core; everything that stores, shows or
exchanges rates follows that declaration."""

from dataclasses import fields
from decimal import Decimal as D

from django.db import models

from pricing.admin.display import RateColumns
from pricing.bill.rates import (
    RATE_FIELDS,
    RATE_LABELS,
    TIER_RATE_FIELDS,
    Rates,
    TierRates,
    rate_fields,
    required_rate_fields,
)
from pricing.forms import NewPriceVersionForm
from pricing.models import PriceTier, PriceVersion
from pricing.services.seed import rates_from_entry
from pricing.sources.diff import rates_from_json, rates_to_json

# Anthropic's published Claude Sonnet 4.5 prices (USD per million tokens), base and above 200K.
SONNET = Rates(
    input_usd_per_mtok=D("3"),
    output_usd_per_mtok=D("15"),
    cache_read_usd_per_mtok=D("0.30"),
    cache_write_5m_usd_per_mtok=D("3.75"),
    cache_write_1h_usd_per_mtok=D("6"),
    batch_input_usd_per_mtok=D("1.50"),
    batch_output_usd_per_mtok=D("7.50"),
    tiers=(TierRates(200_000, D("6"), D("22.50"), D("0.60"), D("7.50"), D("12")),),
)


def money_columns(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.fields if isinstance(f, models.DecimalField))


def test_every_rate_of_the_cost_core_is_a_money_column_and_nothing_else_is():
    assert money_columns(PriceVersion) == RATE_FIELDS
    assert money_columns(PriceTier) == TIER_RATE_FIELDS


def test_each_money_column_carries_its_rates_label_and_is_required_only_where_the_rate_is():
    for model, kind in ((PriceVersion, Rates), (PriceTier, TierRates)):
        required = required_rate_fields(kind)
        for name in rate_fields(kind):
            column = model._meta.get_field(name)
            assert column.verbose_name == RATE_LABELS[name], name
            assert column.null is column.blank is (name not in required), name
            assert (column.max_digits, column.decimal_places) == (20, 10), name


def test_the_admin_shows_every_rate_as_a_column():
    assert all(callable(getattr(RateColumns, f"shown_{name}", None)) for name in RATE_FIELDS)


def test_the_rate_tuples_hold_every_field_of_the_dataclasses_but_tiers_and_threshold():
    assert set(RATE_FIELDS) == {f.name for f in fields(Rates)} - {"tiers"}
    assert set(TIER_RATE_FIELDS) == {f.name for f in fields(TierRates)} - {"threshold_tokens"}


def test_the_new_version_form_offers_every_rate_and_every_tier_rate():
    form_fields = set(NewPriceVersionForm.base_fields)
    assert set(RATE_FIELDS) <= form_fields
    assert {f"tier2_{name}" for name in TIER_RATE_FIELDS} <= form_fields


def test_rates_survive_the_round_trip_through_json_unchanged():
    assert rates_from_json(rates_to_json(SONNET)) == SONNET


def test_rates_json_carries_money_as_exact_decimal_strings():
    data = rates_to_json(SONNET)
    assert data["cache_read_usd_per_mtok"] == "0.3"
    assert data["request_usd"] is None
    assert data["tiers"] == [
        {
            "threshold_tokens": 200_000,
            "input_usd_per_mtok": "6",
            "output_usd_per_mtok": "22.5",
            "cache_read_usd_per_mtok": "0.6",
            "cache_write_5m_usd_per_mtok": "7.5",
            "cache_write_1h_usd_per_mtok": "12",
        }
    ]


def test_the_seed_reads_every_rate_by_its_short_key():
    entry = {
        "input": "3",
        "output": "15",
        "cache_read": "0.30",
        "cache_write_5m": "3.75",
        "cache_write_1h": "6",
        "batch_input": "1.50",
        "batch_output": "7.50",
        "tiers": [
            {
                "threshold_tokens": 200000,
                "input": "6",
                "output": "22.50",
                "cache_read": "0.60",
                "cache_write_5m": "7.50",
                "cache_write_1h": "12",
            }
        ],
    }
    assert rates_from_entry(entry) == SONNET
