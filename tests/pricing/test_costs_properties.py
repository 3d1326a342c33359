"""Properties of the cost core that must hold for every input (hypothesis)."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from pricing.bill.rates import MTOK, Rates, TierRates
from tests.pricing.flat_billing import Usage, estimate_cost

rate = st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False)
tokens = st.integers(min_value=0, max_value=5_000_000)


@st.composite
def rates(draw):
    base_in, base_out = draw(rate), draw(rate)
    cache = draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=base_in, places=4)))
    threshold = draw(st.integers(min_value=1, max_value=2_000_000))
    tiers = ()
    if draw(st.booleans()):
        tiers = (TierRates(threshold, base_in + draw(rate), base_out + draw(rate)),)
    return Rates(base_in, base_out, cache_read_usd_per_mtok=cache, tiers=tiers)


@given(rates(), tokens, tokens, st.booleans())
def test_cost_is_never_negative(prices, input_tokens, output_tokens, batch):
    assert estimate_cost(Usage(input_tokens, output_tokens), prices, batch=batch).total_usd >= 0


@given(rates(), tokens, tokens, st.integers(min_value=1, max_value=10_000))
def test_cost_grows_with_output_tokens(prices, input_tokens, output_tokens, more):
    low = estimate_cost(Usage(input_tokens, output_tokens), prices).total_usd
    high = estimate_cost(Usage(input_tokens, output_tokens + more), prices).total_usd
    assert high >= low


@given(rates(), tokens, tokens)
def test_cost_grows_with_input_tokens_within_a_tier(prices, input_tokens, output_tokens):
    if input_tokens in [t.threshold_tokens for t in prices.tiers]:
        return  # one more token crosses the cliff: test_the_tier_cliff_is_exact covers that step
    low = estimate_cost(Usage(input_tokens, output_tokens), prices).total_usd
    high = estimate_cost(Usage(input_tokens + 1, output_tokens), prices).total_usd
    assert high >= low


@given(rates(), tokens)
def test_the_tier_cliff_is_exact(prices, output_tokens):
    for tier in prices.tiers:
        at = estimate_cost(Usage(tier.threshold_tokens, output_tokens), prices)
        above = estimate_cost(Usage(tier.threshold_tokens + 1, output_tokens), prices)
        assert at.tier_threshold_tokens is None
        assert above.tier_threshold_tokens == tier.threshold_tokens
        assert above.input_usd == D(tier.threshold_tokens + 1) * tier.input_usd_per_mtok / MTOK
        assert above.output_usd == D(output_tokens) * tier.output_usd_per_mtok / MTOK


@given(rates(), tokens, tokens)
def test_decimals_are_exact_sums_of_their_parts(prices, input_tokens, output_tokens):
    cost = estimate_cost(Usage(input_tokens, output_tokens), prices)
    assert (
        cost.total_usd
        == cost.input_usd
        + cost.cached_input_usd
        + cost.cache_write_usd
        + cost.output_usd
        + (cost.request_usd)
    )
    if cost.tier_threshold_tokens is None:
        assert cost.input_usd * MTOK == D(input_tokens) * prices.input_usd_per_mtok


@given(rates(), tokens, st.floats(min_value=0, max_value=1))
def test_caching_never_costs_more_than_no_caching(prices, input_tokens, share):
    cached = int(input_tokens * share)
    with_cache = estimate_cost(Usage(input_tokens, 0, cached_input_tokens=cached), prices).total_usd
    without = estimate_cost(Usage(input_tokens, 0), prices).total_usd
    assert with_cache <= without
