"""Use-case budgets: the guide's presets and monthly projections. Pure: no Django imports.

Preset ranges are the guide's "practical token budgeting" table (input / output tokens per
request); ``typical`` is the middle of each range.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class TokenRange:
    low: int
    high: int

    @property
    def typical(self) -> int:
        return (self.low + self.high) // 2


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    input_tokens: TokenRange
    output_tokens: TokenRange


PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset("simple_qa", "Simple Q&A", TokenRange(50, 200), TokenRange(100, 300)),
        Preset("document_summary", "Document summary", TokenRange(2000, 8000), TokenRange(200, 500)),
        Preset("code_generation", "Code generation", TokenRange(200, 1000), TokenRange(500, 2000)),
        Preset("translation", "Translation", TokenRange(500, 2000), TokenRange(500, 2000)),
        Preset("support_bot", "Customer support bot", TokenRange(500, 1500), TokenRange(100, 400)),
    )
}


def cached_tokens(input_tokens: int, cached_share: Decimal) -> int:
    """Tokens of a prompt served from the cache: ``share`` of it, rounded half up."""
    if not Decimal(0) <= cached_share <= Decimal(1):
        raise ValueError("cached share must be between 0 and 1")
    return int((Decimal(input_tokens) * cached_share).to_integral_value(rounding=ROUND_HALF_UP))


def monthly_usd(per_request_usd: Decimal, requests_per_month: int) -> Decimal:
    """Monthly cost (USD, unrounded) of ``requests_per_month`` requests of one cost each."""
    if requests_per_month < 0:
        raise ValueError("requests per month must not be negative")
    return per_request_usd * requests_per_month


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """A display ratio with two decimals (characters per token, tokens per word)."""
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
