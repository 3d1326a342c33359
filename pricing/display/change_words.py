"""What changed between two price versions, in words an editor reads at a glance.

Pure: no Django imports. Rates are shown as plain decimals with at least two places ("0.40",
"2.50", "0.0028"): exact, never rounded, never "0.4000000000".
"""

from __future__ import annotations

from pricing.bill.money import plain_rate
from pricing.bill.rates import RATE_FIELDS, TIER_RATE_FIELDS, Rates, TierRates


def short_name(field: str) -> str:
    """``cache_read_usd_per_mtok`` → ``cache read``; units are in the column's label."""
    return field.removesuffix("_usd_per_mtok").removesuffix("_usd").replace("_", " ")


def rate_changes(old: Rates | None, new: Rates) -> list[str]:
    """Each rate that differs, as ``input 2.50 → 3.00``; tiers by their threshold."""
    if old is None:
        return ["first price"]
    changes = [
        f"{short_name(name)} {plain_rate(getattr(old, name))} → {plain_rate(getattr(new, name))}"
        for name in RATE_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    return changes + _tier_changes(old.tiers, new.tiers)


def is_removal(change: str) -> bool:
    """Whether one of ``rate_changes``' lines takes a rate away: to none, or a whole tier."""
    return change.endswith((f"→ {plain_rate(None)}", " removed"))


def _tier_changes(old: tuple[TierRates, ...], new: tuple[TierRates, ...]) -> list[str]:
    before = {tier.threshold_tokens: tier for tier in old}
    after = {tier.threshold_tokens: tier for tier in new}
    changes = []
    for threshold in sorted(before.keys() | after.keys()):
        label = f"tier > {threshold:,}"
        if threshold not in after:
            changes.append(f"{label} removed")
        elif threshold not in before:
            changes.append(f"{label} added")
        else:
            changes += [
                f"{label} {short_name(name)} {plain_rate(getattr(before[threshold], name))}"
                f" → {plain_rate(getattr(after[threshold], name))}"
                for name in TIER_RATE_FIELDS
                if getattr(before[threshold], name) != getattr(after[threshold], name)
            ]
    return changes
