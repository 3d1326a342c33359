"""Price sheets built from the providers' published prices (USD per million tokens unless said).

Sources, as of 2026-11-27: Anthropic's pricing and prompt-caching pages (Opus 4.6: 5 / 25, cache
read 0.50, writes 6.25 (5 min) / 10 (1 h); batch halves every one of them; prompts over 200K
cost 10 / 37.50 before 2026-03-13); OpenAI's pricing page (GPT-5.4: 2.50 / 15 / cached 0.25,
prompts over 272K: 5 / 22.50 / 0.50; batch 1.25 / 7.50 / cached 0.13; flex the same as batch;
priority 5 / 30 / 0.50; GPT-4.1 mini 0.40 / 1.60 / 0.10; whisper-1 $0.006 a minute); Google's
Gemini pricing (3.1 Pro: 2 / 12 / 0.20, over 200K: 4 / 18 / 0.40; search grounding $14 per
1,000 queries); DeepSeek's pricing page (V4 Pro from 2026-08-17: off-peak 0.66 / 1.98 / cache
hit 0.022, peak twice that on weekdays 09:00-12:00 and 14:00-18:00 Beijing time).
"""

from datetime import time
from decimal import Decimal as D

from pricing.bill import PriceSheet, TierRule, TimeBand, UnitPrice, Variant


def per_mtok(**rates: str) -> dict[str, UnitPrice]:
    return {kind: UnitPrice(D(usd)) for kind, usd in rates.items()}


def opus_4_6(*, long_context_tier: bool = False) -> PriceSheet:
    standard = per_mtok(input="5", output="25", cache_read="0.5", cache_write_5m="6.25", cache_write_1h="10")
    batch = per_mtok(
        input="2.5", output="12.5", cache_read="0.25", cache_write_5m="3.125", cache_write_1h="5"
    )
    standard["web_search"] = UnitPrice(D("10"), per=1000)
    batch["web_search"] = UnitPrice(D("10"), per=1000)
    tiers: tuple[TierRule, ...] = ()
    if long_context_tier:
        tiers = (
            TierRule(
                200_000,
                per_mtok(
                    input="10", output="37.5", cache_read="1", cache_write_5m="12.5", cache_write_1h="20"
                ),
            ),
        )
    return PriceSheet(
        variants={"standard": Variant("standard", standard, tiers), "batch": Variant("batch", batch)}
    )


def gpt_5_4() -> PriceSheet:
    def long_context(**rates: str) -> tuple[TierRule, ...]:
        return (TierRule(272_000, per_mtok(**rates)),)

    return PriceSheet(
        variants={
            "standard": Variant(
                "standard",
                per_mtok(input="2.5", output="15", cache_read="0.25"),
                long_context(input="5", output="22.5", cache_read="0.5"),
            ),
            "batch": Variant(
                "batch",
                per_mtok(input="1.25", output="7.5", cache_read="0.13"),
                long_context(input="2.5", output="11.25", cache_read="0.25"),
            ),
            "flex": Variant(
                "flex",
                per_mtok(input="1.25", output="7.5", cache_read="0.13"),
                long_context(input="2.5", output="11.25", cache_read="0.25"),
            ),
            "priority": Variant("priority", per_mtok(input="5", output="30", cache_read="0.5")),
        }
    )


def gpt_4_1_mini() -> PriceSheet:
    return PriceSheet(
        variants={"standard": Variant("standard", per_mtok(input="0.4", output="1.6", cache_read="0.1"))}
    )


def gemini_3_1_pro() -> PriceSheet:
    prices = per_mtok(input="2", output="12", cache_read="0.2")
    prices["web_search"] = UnitPrice(D("14"), per=1000)
    tier = TierRule(200_000, per_mtok(input="4", output="18", cache_read="0.4"))
    return PriceSheet(variants={"standard": Variant("standard", prices, (tier,))})


def deepseek_v4_pro() -> PriceSheet:
    weekdays = frozenset(range(5))
    bands = tuple(
        TimeBand("peak", start, end, weekdays=weekdays, time_zone="Asia/Shanghai")
        for start, end in ((time(9), time(12)), (time(14), time(18)))
    )
    return PriceSheet(
        variants={
            "standard": Variant("standard", per_mtok(input="0.66", output="1.98", cache_read="0.022")),
            "peak": Variant("peak", per_mtok(input="1.32", output="3.96", cache_read="0.044")),
        },
        bands=bands,
    )


def whisper_1() -> PriceSheet:
    audio = {"audio_second": UnitPrice(D("0.36"), per=3600)}  # $0.006 a minute
    return PriceSheet(variants={"standard": Variant("standard", audio)})


def sonar() -> PriceSheet:
    """Perplexity Sonar: 1 / 1 per MTok plus $12 per 1,000 requests (its high search-context fee)."""
    prices = per_mtok(input="1", output="1")
    prices["request"] = UnitPrice(D("12"), per=1000)
    return PriceSheet(variants={"standard": Variant("standard", prices)})
