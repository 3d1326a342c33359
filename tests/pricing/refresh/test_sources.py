"""The pure parsers and the diff: no database, no network."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from pricing.bill.rates import Rates
from pricing.sources import genai_prices_v2, litellm, openrouter
from pricing.sources.diff import PROPOSE, PUBLISH, CatalogueState, plan_model
from pricing.sources.records import PayloadError, PricePoint, PriceRecord, per_token_to_per_mtok

from .conftest import PAYLOADS, genai_payload

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_it_converts_per_token_prices_to_per_million_exactly() -> None:
    assert per_token_to_per_mtok(Decimal("4e-07")) == Decimal("0.4")
    assert str(per_token_to_per_mtok(Decimal("1.1e-06"))) == "1.1"
    assert str(per_token_to_per_mtok("0.0000016")) == "1.6"
    assert str(per_token_to_per_mtok(3e-07)) == "0.3"  # a float goes through str(), no noise
    assert str(per_token_to_per_mtok(Decimal("2.5e-06"))) == "2.5"


def test_it_reads_litellm_limits_tiers_batch_and_reports_unknown_price_keys() -> None:
    parsed = litellm.parse((PAYLOADS / "litellm_excerpt.json").read_bytes())
    records = {r.key: r for r in parsed.records}
    assert parsed.models_in_payload == 7  # sample_spec is not a model
    mini = records["openai/gpt-4.1-mini"]
    assert (mini.context_window, mini.max_output_tokens) == (1047576, 32768)
    rates = mini.history[0].rates
    assert (rates.input_usd_per_mtok, rates.output_usd_per_mtok) == (Decimal("0.4"), Decimal("1.6"))
    assert rates.batch_input_usd_per_mtok == Decimal("0.2")
    assert rates.batch_output_usd_per_mtok == Decimal("0.8")
    tier = records["openai/gpt-5.4"].history[0].rates.tiers[0]
    assert (tier.threshold_tokens, tier.input_usd_per_mtok, tier.output_usd_per_mtok) == (
        272000,
        Decimal("5"),
        Decimal("22.5"),
    )
    gpt = records["openai/gpt-5.4"]
    priority = gpt.history[0].sheet.variants["priority"].prices  # LiteLLM's priority input, 5.00
    assert (priority["input"].usd, priority["output"].usd, gpt.notes) == (Decimal("5"), Decimal("15"), ())
    assert records["openai/gpt-4.1-mini"].history[0].sheet is None  # the flat rates say it all
    assert records["anthropic/claude-opus-4-6"].history[0].rates.cache_write_1h_usd_per_mtok == 10
    assert {"google/gemini-3.1-pro-preview", "alibaba/qwen-max", "xai/grok-4-0709"} <= set(records)
    assert any("text-embedding-3-small: mode embedding" in s for s in parsed.skipped)


def test_it_skips_openrouter_dynamic_prices() -> None:
    parsed = openrouter.parse((PAYLOADS / "openrouter_excerpt.json").read_bytes())
    keys = {r.key for r in parsed.records}
    assert "openrouter/openrouter/auto" not in keys
    assert parsed.skipped == ["openrouter/auto: dynamic price (-1): skipped"]
    mini = next(r for r in parsed.records if r.model == "openai/gpt-4.1-mini")
    assert mini.history[0].rates.cache_read_usd_per_mtok == Decimal("0.1")
    maverick = next(r for r in parsed.records if r.model == "meta-llama/llama-4-maverick")
    assert maverick.notes == ("price key not represented: image",)


def test_it_refuses_truncated_json_as_unreadable() -> None:
    with pytest.raises(PayloadError):
        genai_prices_v2.parse(genai_payload()[:-40])
    with pytest.raises(PayloadError):
        litellm.parse(b'{"gpt-4.1-mini": {"input_cost_per_token": 4e-07')
    with pytest.raises(PayloadError):
        openrouter.parse(b'{"models": []}')


@pytest.fixture(scope="module")
def bundled() -> dict[str, PriceRecord]:
    parsed = genai_prices_v2.parse(genai_prices_v2.bundled_payload())
    return {r.key: r for r in parsed.records}


def test_the_bundled_payload_round_trips_through_genai_prices_own_loader() -> None:
    from genai_prices import data
    from genai_prices.types import _providers_from_raw

    providers = _providers_from_raw(json.loads(genai_prices_v2.bundled_payload()))
    assert [p.id for p in providers] == [p.id for p in data.providers]
    assert sum(len(p.models) for p in providers) == sum(len(p.models) for p in data.providers)


def test_it_maps_genai_prices_start_dates_tiers_and_aliases(bundled: dict[str, PriceRecord]) -> None:
    opus = bundled["anthropic/claude-opus-4-6"]
    first, second = opus.history[0], opus.history[1]
    assert first.effective_from is None and first.rates.tiers[0].threshold_tokens == 200000
    tier = first.rates.tiers[0]
    assert (tier.input_usd_per_mtok, tier.output_usd_per_mtok) == (10, Decimal("37.5"))
    assert second.effective_from == date(2026, 3, 13) and second.rates.tiers == ()
    assert (second.rates.cache_write_5m_usd_per_mtok, second.rates.cache_write_1h_usd_per_mtok) == (
        Decimal("6.25"),
        10,
    )
    assert "anthropic/claude-3-5-haiku-20241022" in bundled  # upstream id claude-3-5-haiku-latest
    assert "xai/grok-4-0709" in bundled  # upstream provider x-ai


def test_time_of_day_prices_are_bands_and_the_flat_rate_is_most_of_the_days(
    bundled: dict[str, PriceRecord],
) -> None:
    chat = bundled["deepseek/deepseek-chat"]
    assert chat.history[0].rates.input_usd_per_mtok == Decimal("0.27")  # the 00:30-16:30 UTC rate
    sheet = chat.history[0].sheet
    assert [(b.variant, b.start, b.end) for b in sheet.bands] == [("peak", time(0, 30), time(16, 30))]
    assert sheet.variants["peak"].prices["input"].usd == Decimal("0.27")
    assert sheet.variants["standard"].prices["input"].usd == Decimal("0.135")
    assert chat.notes == ()  # the sheet holds the bands: nothing is left unrepresented
    pro = bundled["deepseek/deepseek-v4-pro"]
    assert [p.effective_from for p in pro.history] == [None, date(2026, 8, 17)]
    assert pro.history[1].rates.input_usd_per_mtok == Decimal("0.66")  # off-peak: most of the day


def test_it_takes_batch_rates_from_the_batch_variant_from_its_start(bundled: dict[str, PriceRecord]) -> None:
    mini = bundled["openai/gpt-4.1-mini"]
    assert mini.history[0].rates.batch_input_usd_per_mtok is None
    assert mini.history[-1].effective_from == date(2026, 10, 14)
    assert mini.history[-1].rates.batch_input_usd_per_mtok == Decimal("0.2")
    assert {"batch", "priority"} <= set(mini.history[-1].sheet.variants)
    assert mini.notes == ()


def record(*points: tuple[date | None, str]) -> PriceRecord:
    history = tuple(PricePoint(day, Rates(Decimal(i), Decimal(i) * 2)) for day, i in points)
    return PriceRecord("acme", "m", "M", "m", history)


def state(start: datetime, input_rate: str, *, locked: bool = False) -> CatalogueState:
    return CatalogueState(start, Rates(Decimal(input_rate), Decimal(input_rate) * 2), locked)


def test_it_publishes_only_start_dates_after_the_latest_version() -> None:
    upstream = record((None, "1"), (date(2026, 1, 1), "1.2"), (date(2026, 6, 1), "1.3"))
    changes = plan_model(upstream, state(datetime(2026, 3, 1, tzinfo=UTC), "1.2"), now=NOW, source="t")
    assert [(c.action, c.effective_from.date(), c.rates.input_usd_per_mtok) for c in changes] == [
        (PUBLISH, date(2026, 6, 1), Decimal("1.3"))
    ]


def test_it_gives_a_new_model_its_dated_history_and_no_made_up_start() -> None:
    upstream = record((None, "1"), (date(2026, 1, 1), "3"), (date(2026, 12, 1), "2"))
    changes = plan_model(upstream, None, now=NOW, source="t")
    # The undated price was replaced on 2026-01-01 and nothing says when it began: left out.
    assert [(c.effective_from.date(), c.dated_by) for c in changes] == [
        (date(2026, 1, 1), "upstream"),
        (date(2026, 12, 1), "upstream"),
    ]


def test_it_dates_an_undated_new_price_by_when_it_was_seen_within_the_window() -> None:
    before = datetime(2026, 11, 24, 4, tzinfo=UTC)
    [change] = plan_model(record((None, "1")), None, now=NOW, source="t", seen_since=before)
    assert (change.effective_from, change.earliest, change.dated_by) == (NOW, before, "evidence")
    [unknown] = plan_model(record((None, "1")), None, now=NOW, source="t")
    assert (unknown.effective_from, unknown.earliest) == (NOW, None)


def test_it_proposes_a_change_over_half_or_to_a_locked_price() -> None:
    since = datetime(2026, 1, 1, tzinfo=UTC)
    jump = plan_model(record((None, "1.6")), state(since, "1"), now=NOW, source="t")
    assert [(c.action, c.effective_from) for c in jump] == [(PROPOSE, NOW)]
    assert "changes by 60%" in jump[0].reason
    small = plan_model(record((None, "1.4")), state(since, "1", locked=True), now=NOW, source="t")
    assert small[0].action == PROPOSE and "locked" in small[0].reason
    assert plan_model(record((None, "1.4")), state(since, "1"), now=NOW, source="t")[0].action == PUBLISH
    assert plan_model(record((None, "1")), state(since, "1"), now=NOW, source="t") == []
