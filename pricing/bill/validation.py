"""The one validator of a price, shared by the admin, the services and every importer.

Pure: no Django imports. ``price_problems`` checks a price: its flat rates (each problem on the
field a form shows it on) and its sheet where it says more (``pricing.bill.rules``: every
variant, per-unit price, tier and band). Problems are (field, message) pairs so a form can put
each message on its field and an import run can list them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pricing.bill.rates import RATE_FIELDS, TIER_RATE_FIELDS, Rates, TierRates, required_rate_fields
from pricing.bill.rules import sheet_problems
from pricing.bill.sheet import PriceSheet

# RATE_FIELDS is re-exported: pricing.api.schemas and calculator.openapi still import it from here.
__all__ = ["RATE_FIELDS", "TIER_RATE_FIELDS", "Problem", "price_problems", "validate_rates"]
REQUIRED = required_rate_fields(Rates) | required_rate_fields(TierRates)
# A sanity ceiling: no public text model charges anywhere near $10,000 per million tokens.
MAX_USD_PER_MTOK = Decimal(10_000)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def price_problems(rates: Rates, sheet: PriceSheet | None = None) -> list[Problem]:
    """Every reason this price cannot be published: its rates, and its sheet (field ``sheet``)
    where it has one; empty when it is valid."""
    problems = validate_rates(rates)
    if sheet is not None:
        problems += [Problem("sheet", text) for text in sheet_problems(sheet)]
    return problems


def validate_rates(rates: Rates) -> list[Problem]:
    """Every reason these rates cannot be published; empty when they are valid."""
    problems = [p for name in RATE_FIELDS for p in _check_amount(name, getattr(rates, name))]
    if problems:
        return problems
    problems += _check_cache_read(rates.cache_read_usd_per_mtok, rates.input_usd_per_mtok, "")
    problems += _check_batch(rates)
    problems += _check_tiers(rates)
    return problems


def _check_amount(name: str, value: Decimal | None) -> list[Problem]:
    if value is None:
        if name.rpartition(".")[2] in REQUIRED:
            return [Problem(name, "is required")]
        return []
    if not isinstance(value, Decimal):
        return [Problem(name, f"must be a decimal amount, got {type(value).__name__}")]
    if not value.is_finite():
        return [Problem(name, f"must be a finite amount, got {value}")]
    if value < 0:
        return [Problem(name, f"must not be negative, got {value}")]
    if name.endswith("_per_mtok") and value > MAX_USD_PER_MTOK:
        return [Problem(name, f"{value} USD per million tokens is implausibly high")]
    return []


def _check_cache_read(cache_read: Decimal | None, input_rate: Decimal, prefix: str) -> list[Problem]:
    if cache_read is not None and cache_read > input_rate:
        return [
            Problem(
                f"{prefix}cache_read_usd_per_mtok",
                f"cache read ({cache_read}) must not be above the input price ({input_rate})",
            )
        ]
    return []


def _check_batch(rates: Rates) -> list[Problem]:
    problems = []
    pairs = (
        ("batch_input_usd_per_mtok", rates.batch_input_usd_per_mtok, rates.input_usd_per_mtok),
        ("batch_output_usd_per_mtok", rates.batch_output_usd_per_mtok, rates.output_usd_per_mtok),
    )
    for name, batch, standard in pairs:
        if batch is not None and batch > standard:
            problems.append(Problem(name, f"batch ({batch}) must not be above standard ({standard})"))
    return problems


def _check_tiers(rates: Rates) -> list[Problem]:
    problems: list[Problem] = []
    previous: TierRates | None = None
    for index, tier in enumerate(rates.tiers):
        prefix = f"tiers[{index}]."
        problems += _check_tier(tier, rates, prefix)
        if previous is not None and tier.threshold_tokens <= previous.threshold_tokens:
            problems.append(
                Problem(
                    f"{prefix}threshold_tokens",
                    f"thresholds must ascend: {tier.threshold_tokens} follows {previous.threshold_tokens}",
                )
            )
        previous = tier
    return problems


def _check_tier(tier: TierRates, rates: Rates, prefix: str) -> list[Problem]:
    if not isinstance(tier.threshold_tokens, int) or tier.threshold_tokens <= 0:
        return [Problem(f"{prefix}threshold_tokens", "must be a positive whole number of tokens")]
    problems = [p for name in TIER_RATE_FIELDS for p in _check_amount(prefix + name, getattr(tier, name))]
    if problems:
        return problems
    for name in ("input_usd_per_mtok", "output_usd_per_mtok"):
        tier_rate, base_rate = getattr(tier, name), getattr(rates, name)
        if tier_rate < base_rate:
            problems.append(
                Problem(prefix + name, f"tier rate ({tier_rate}) is below the base rate ({base_rate})")
            )
    problems += _check_cache_read(tier.cache_read_usd_per_mtok, tier.input_usd_per_mtok, prefix)
    return problems
