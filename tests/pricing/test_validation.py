from decimal import Decimal as D

from pricing.bill.rates import Rates, TierRates
from pricing.bill.validation import validate_rates


def fields(rates):
    return {p.field for p in validate_rates(rates)}


def test_it_accepts_a_complete_valid_price():
    rates = Rates(
        D("2.5"),
        D("15"),
        D("0.25"),
        D("3"),
        D("5"),
        D("1.25"),
        D("7.5"),
        D("0"),
        tiers=(TierRates(272_000, D("5"), D("22.5"), D("0.5")),),
    )
    assert validate_rates(rates) == []


def test_it_refuses_a_negative_price_naming_the_field():
    problems = validate_rates(Rates(D("-1"), D("2")))
    assert [p.field for p in problems] == ["input_usd_per_mtok"]
    assert "negative" in problems[0].message


def test_it_refuses_infinite_and_nan_prices():
    assert fields(Rates(D("Infinity"), D("2"))) == {"input_usd_per_mtok"}
    assert fields(Rates(D("1"), D("NaN"))) == {"output_usd_per_mtok"}


def test_it_refuses_a_cache_read_above_input():
    assert fields(Rates(D("1"), D("2"), cache_read_usd_per_mtok=D("1.5"))) == {"cache_read_usd_per_mtok"}


def test_it_refuses_batch_above_standard():
    rates = Rates(D("1"), D("2"), batch_input_usd_per_mtok=D("1.1"), batch_output_usd_per_mtok=D("3"))
    assert fields(rates) == {"batch_input_usd_per_mtok", "batch_output_usd_per_mtok"}


def test_it_refuses_tiers_that_do_not_ascend():
    rates = Rates(D("1"), D("2"), tiers=(TierRates(200, D("2"), D("3")), TierRates(100, D("3"), D("4"))))
    assert fields(rates) == {"tiers[1].threshold_tokens"}


def test_it_refuses_a_tier_below_the_base_rate():
    rates = Rates(D("2"), D("4"), tiers=(TierRates(1000, D("1"), D("5")),))
    assert fields(rates) == {"tiers[0].input_usd_per_mtok"}


def test_it_refuses_a_missing_input_or_output_price():
    assert fields(Rates(None, D("2"))) == {"input_usd_per_mtok"}  # type: ignore[arg-type]


def test_it_refuses_an_implausibly_high_price():
    assert fields(Rates(D("50000"), D("2"))) == {"input_usd_per_mtok"}
