"""Batch was sold before genai-prices listed it (2026-10-14): the catalogue bills it from the facts.

Published sources: OpenAI's Batch API (since 2024-04-15) bills half the standard rates, as OpenAI's
pricing page lists them (https://openai.com/api/pricing/): GPT-5 launched 2025-08-07 at 1.25 / 10.00
(cached input 0.125, https://openai.com/index/introducing-gpt-5-for-developers/), batch 0.625 / 5.00;
GPT-4o at 2.50 / 10.00, batch 1.25 / 5.00. Anthropic's Message Batches API (generally available
2024-12-17) bills half price, its discount applying to prompt-cache reads and writes too
(https://docs.claude.com/en/docs/about-claude/pricing); Claude Opus 4.5 launched 2025-11-24 at
5.00 / 25.00, cache read 0.50 (https://www.anthropic.com/news/claude-opus-4-5). Expected totals are
worked out by hand in each comment from these prices.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from pricing.bill.rates import Rates
from pricing.history.fixture import FixtureVersion
from pricing.history.timeline import SnapshotFacts
from pricing.services.history_load import _after
from pricing.services.seed import load_seed_catalogue

MILLION = {"input_tokens": 1_000_000, "output_tokens": 1_000_000}


def bill(client, model: str, at: str, tier: str = "standard", **usage: int):
    body = {"model": model, "at": at, "usage": usage, "service_tier": tier}
    return client.post("/api/v1/bill", body, "application/json")


def total(client, model: str, at: str, tier: str = "standard", **usage: int) -> str:
    response = bill(client, model, at, tier, **usage)
    assert response.status_code == 200, response.content
    return response.json()["total_usd"]


@pytest.mark.django_db
def test_gpt_5_and_opus_4_5_bill_batch_at_half_price_from_launch(client) -> None:
    load_seed_catalogue()
    # GPT-5 on 2025-08-07 (launch day): standard 1.25 + 10.00; batch 0.625 + 5.00.
    assert total(client, "openai/gpt-5", "2025-08-07T12:00:00Z", **MILLION) == "11.25"
    assert total(client, "openai/gpt-5", "2025-08-07T12:00:00Z", "batch", **MILLION) == "5.625"
    assert bill(client, "openai/gpt-5", "2025-08-06T12:00:00Z", "batch", **MILLION).status_code == 400
    # Opus 4.5 on 2026-01-15: standard 5 + 25 = 30; batch 2.50 + 12.50 = 15; a batch cache read of
    # 1M tokens is half of 0.50.
    assert total(client, "anthropic/claude-opus-4-5", "2026-01-15T00:00:00Z", **MILLION) == "30"
    assert total(client, "anthropic/claude-opus-4-5", "2026-01-15T00:00:00Z", "batch", **MILLION) == "15"
    cached = total(
        client, "anthropic/claude-opus-4-5", "2026-01-15T00:00:00Z", "batch", cache_read_tokens=1_000_000
    )
    assert cached == "0.25"


@pytest.mark.django_db
def test_after_the_whole_catalogue_loads_batch_bills_half_before_2026_10_14(client) -> None:
    call_command("load_catalogue", verbosity=0)
    # 2025-06-01: GPT-4o's batch 1.25 + 5.00 (LiteLLM listed it from 2024-12-29; genai-prices joined
    # the history on 2025-07-11 silent about batch, which must not end it).
    assert total(client, "openai/gpt-4o", "2025-06-01T00:00:00Z", "batch", **MILLION) == "6.25"
    assert total(client, "openai/gpt-4o", "2025-08-01T00:00:00Z", "batch", **MILLION) == "6.25"
    assert total(client, "openai/gpt-4o", "2026-09-01T00:00:00Z", "batch", **MILLION) == "6.25"
    # GPT-5 on 2025-10-01: 0.625 + 5.00; Opus 4.5 on 2026-09-01: 2.50 + 12.50.
    assert total(client, "openai/gpt-5", "2025-10-01T00:00:00Z", "batch", **MILLION) == "5.625"
    assert total(client, "anthropic/claude-opus-4-5", "2026-09-01T00:00:00Z", "batch", **MILLION) == "15"
    # A history point silent about a rate the curated version gives does not end it: Claude Haiku
    # 4.5's 1-hour cache writes bill at 2.00 (twice its 1.00 input, Anthropic's pricing page)
    # between genai-prices' first point without them (2025-10-16) and 2026-07-30.
    one_hour = {"cache_write_1h_tokens": 1_000_000}
    assert total(client, "anthropic/claude-haiku-4-5", "2026-01-15T00:00:00Z", **one_hour) == "2"
    assert total(client, "anthropic/claude-opus-4-5", "2026-01-15T00:00:00Z", **one_hour) == "10"
    # The service tiers the history listed for GPT-5 stay billable: priority 2.50 + 20.00, flex
    # 0.625 + 5.00 (OpenAI's pricing page); from 2026-10-14 a batch cache read is half of 0.125.
    assert total(client, "openai/gpt-5", "2026-11-01T00:00:00Z", "priority", **MILLION) == "22.5"
    assert total(client, "openai/gpt-5", "2026-11-01T00:00:00Z", "flex", **MILLION) == "5.625"
    assert total(client, "openai/gpt-5", "2026-11-01T00:00:00Z", "fast", **MILLION) == "22.5"  # as priority
    assert (
        total(client, "openai/gpt-5", "2026-11-01T00:00:00Z", "batch", cache_read_tokens=1_000_000)
        == "0.0625"
    )


@pytest.mark.django_db
def test_gpt_4o_bills_batch_at_half_price_from_its_2024_05_13_launch(client) -> None:
    """OpenAI's GPT-4o launch (2024-05-13): 5.00 in / 15.00 out; the Batch API (since 2024-04-15)
    at half price, 2.50 / 7.50. From 2024-10-02 gpt-4o is gpt-4o-2024-08-06: 2.50 / 10.00, cached
    input 1.25, batch 1.25 / 5.00. Priority (OpenAI's pricing page): 4.25 / 17.00."""
    call_command("load_catalogue", verbosity=0)
    # Launch day: standard 5 + 15 = 20; batch 2.50 + 7.50 = 10. The day before: no price.
    assert total(client, "openai/gpt-4o", "2024-05-13T12:00:00Z", **MILLION) == "20"
    assert total(client, "openai/gpt-4o", "2024-05-13T12:00:00Z", "batch", **MILLION) == "10"
    assert bill(client, "openai/gpt-4o", "2024-05-12T12:00:00Z", "batch", **MILLION).status_code == 400
    # 2024-08-01 (before the sources listed any batch rate): still 2.50 + 7.50.
    assert total(client, "openai/gpt-4o", "2024-08-01T00:00:00Z", "batch", **MILLION) == "10"
    # 2024-10-20: tokencost 0.1.14 (2024-10-17) still showed 5 / 15, but gpt-4o was the 2024-08-06
    # snapshot: standard 2.50 + 10 = 12.50, batch 1.25 + 5 = 6.25; 2024-11-20 batch too (no source
    # listed GPT-4o's batch before LiteLLM's of 2024-12-29).
    assert total(client, "openai/gpt-4o", "2024-10-20T00:00:00Z", **MILLION) == "12.5"
    assert total(client, "openai/gpt-4o", "2024-10-20T00:00:00Z", "batch", **MILLION) == "6.25"
    assert total(client, "openai/gpt-4o", "2024-11-20T00:00:00Z", "batch", **MILLION) == "6.25"
    # Cached input 1M tokens on 2025-01-15: 1.25.
    cached = total(client, "openai/gpt-4o", "2025-01-15T00:00:00Z", cache_read_tokens=1_000_000)
    assert cached == "1.25"
    # Priority from 2026-10-12: 4.25 + 17 = 21.25; the seed keeps batch after it.
    assert total(client, "openai/gpt-4o", "2026-11-01T00:00:00Z", "priority", **MILLION) == "21.25"
    assert total(client, "openai/gpt-4o", "2026-11-01T00:00:00Z", "batch", **MILLION) == "6.25"


SNAPSHOT = SnapshotFacts(
    "litellm", "1", "litellm-1.whl", datetime(2024, 1, 1, tzinfo=UTC), "a" * 64, "b" * 64
)


def point(day: int, inp: str, out: str, batch: tuple[str, str] | None = None) -> FixtureVersion:
    extra = (
        {}
        if batch is None
        else {"batch_input_usd_per_mtok": D(batch[0]), "batch_output_usd_per_mtok": D(batch[1])}
    )
    rates = Rates(D(inp), D(out), **extra)
    return FixtureVersion(datetime(2025, 1, day, tzinfo=UTC), None, True, SNAPSHOT, rates, "r")


def test_a_source_silent_about_batch_keeps_the_batch_of_the_same_standard_price_but_not_of_a_new_one() -> (
    None
):
    kept = _after(None, (point(1, "2.5", "10", ("1.25", "5")), point(2, "2.5", "10"), point(3, "5", "15")))
    # Day 2 restates day 1 once batch is carried: nothing new. Day 3 is a new standard price; half
    # of 2.5 / 10 is not its batch price, so none is carried.
    assert [v.effective_from.day for v in kept] == [1, 3]
    assert kept[1].rates.batch_input_usd_per_mtok is None
