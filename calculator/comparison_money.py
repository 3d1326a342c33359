"""A saved comparison's rows with a contract overlay and a display currency: list and effective
cost side by side (FinOps FOCUS names), each line naming the overlay rule that applied, and the
amounts in the currency at the ECB rate of the moment the rows are priced at (the comparison's
``as_of``, or a re-price's new moment).

The saved numbers are never rewritten: each row is billed again by the same engine, from its
saved counts and price version, at that moment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pricing.api.money import MoneyTerms, as_json, overlaid_json
from pricing.bill import Bill
from pricing.models import PriceVersion
from pricing.selectors.bills import estimate_bill, prefetch_sheets

from .estimate import cache_usage
from .models import Comparison


def saved_tier(comparison: Comparison) -> str:
    inputs = comparison.inputs
    return str(inputs.get("service_tier") or ("batch" if inputs.get("batch") else "standard"))


def priced_rows(comparison: Comparison) -> list[dict[str, Any]]:
    return [row for row in comparison.results.get("results", []) if row.get("total_usd") is not None]


def bill_saved_row(row: dict[str, Any], version: PriceVersion, tier: str, at: datetime) -> Bill:
    """The saved row's counts (and its reasoning assumption) billed by ``version`` at ``at``."""
    usage = cache_usage(
        row["input_tokens"],
        row["output_tokens"],
        row.get("cached_input_tokens") or 0,
        row.get("cache_write_tokens") or 0,
        row.get("cache_write_lifetime") or "5m",
        reasoning_tokens=row.get("reasoning_tokens") or 0,
    )
    return estimate_bill(version, usage, service_tier=tier, at=at)


def row_money(bill: Bill, version: PriceVersion, terms: MoneyTerms, at: datetime) -> dict[str, Any]:
    """One row's FOCUS costs under ``terms`` at ``at``, its lines' rules, and their conversion."""
    model = version.model
    overlaid = terms.overlaid(bill, provider=model.provider.slug, model=model.slug, at=at)
    return as_json(overlaid_json(overlaid, terms.conversion(at.date())))


def saved_money(comparison: Comparison, terms: MoneyTerms) -> dict[str, Any]:
    """Every priced saved row at the comparison's own moment, keyed ``provider/model``."""
    rows = priced_rows(comparison)
    versions = PriceVersion.objects.select_related("model__provider").in_bulk(
        [row["price_version"] for row in rows]
    )
    prefetch_sheets(versions.values())
    at, tier = comparison.as_of, saved_tier(comparison)
    return {
        **as_json(terms.header(at.date())),
        "rows": {
            key: _saved_row_money(row, versions[row["price_version"]], tier, terms, at)
            for key, row in ((f"{row['provider']}/{row['model']}", row) for row in rows)
        },
    }


def _saved_row_money(
    row: dict[str, Any], version: PriceVersion, tier: str, terms: MoneyTerms, at: datetime
) -> dict[str, Any]:
    return row_money(bill_saved_row(row, version, tier, at), version, terms, at)


MONEY_CSV_COLUMNS = (
    "ListCost",
    "ContractedCost",
    "EffectiveCost",
    "overlay",
    "overlay_rules",
    "currency",
    "rate",
    "rate_date",
    "rate_source",
    "converted_ListCost",
    "converted_ContractedCost",
    "converted_EffectiveCost",
)


def money_csv_cells(money: dict[str, Any], key: str) -> list[str]:
    """The money columns of one saved row (empty when the row had no price)."""
    row = money["rows"].get(key)
    if row is None:
        return [""] * len(MONEY_CSV_COLUMNS)
    conversion = money["conversion"] or {}
    converted = row.get("converted") or {}
    rules = sorted({_rule_words(line["overlay_rule"]) for line in row["lines"] if line["overlay_rule"]})
    return [
        row["ListCost"],
        row["ContractedCost"],
        row["EffectiveCost"],
        money["overlay"] or "",
        "; ".join(rules),
        conversion.get("currency", "USD"),
        conversion.get("rate", ""),
        conversion.get("rate_date", ""),
        conversion.get("source", ""),
        *(converted.get(name, "") for name in ("ListCost", "ContractedCost", "EffectiveCost")),
    ]


def _rule_words(rule: dict[str, Any]) -> str:
    """A rule in a few words: "#3 provider anthropic percent -20 from 2026-10-01"."""
    amount = rule["fixed_usd"] if rule["kind"] == "fixed" else rule["adjustment"]
    where = rule["model"] or rule["provider"] or "all"
    return f"#{rule['id']} {rule['scope']} {where} {rule['kind']} {amount} from {rule['effective_from'][:10]}"
