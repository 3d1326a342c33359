from decimal import Decimal as D

import pytest

from calculator.budgets import PRESETS, cached_tokens, monthly_usd, ratio


def test_the_presets_are_the_guides_table():
    ranges = {
        k: (p.input_tokens.low, p.input_tokens.high, p.output_tokens.low, p.output_tokens.high)
        for k, p in PRESETS.items()
    }
    assert ranges == {
        "simple_qa": (50, 200, 100, 300),
        "document_summary": (2000, 8000, 200, 500),
        "code_generation": (200, 1000, 500, 2000),
        "translation": (500, 2000, 500, 2000),
        "support_bot": (500, 1500, 100, 400),
    }


def test_typical_is_the_middle_of_the_range():
    assert PRESETS["support_bot"].input_tokens.typical == 1000
    assert PRESETS["simple_qa"].output_tokens.typical == 200


def test_cached_tokens_round_half_up():
    assert cached_tokens(1000, D("0.5")) == 500
    assert cached_tokens(3, D("0.5")) == 2
    assert cached_tokens(7, D("0")) == 0
    with pytest.raises(ValueError):
        cached_tokens(7, D("1.5"))


def test_monthly_cost_is_exact():
    assert monthly_usd(D("0.00072"), 100_000) == D("72")
    with pytest.raises(ValueError):
        monthly_usd(D("1"), -1)


def test_ratio_has_two_decimals_and_survives_zero():
    assert ratio(13, 4) == D("3.25")
    assert ratio(1, 0) is None
