"""An import's list and effective costs under a contract overlay, in a display currency, added
up at request time from the stored rows (the stored bills are never rewritten).

Each row is its own moment: the overlay rule in force at the row's timestamp applies to each of
its lines (so an import crossing a rule's ``effective_from`` is at list price before it), and its
amounts convert at the ECB reference rate of the row's own UTC date. Totals in a currency are
sums of amounts each converted at its own day's rate, never one rate applied to a USD total.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db.models.functions import TruncDate

from pricing.api.money import MoneyTerms, as_json, conversion_json, rule_json
from pricing.bill.overlays import OverlayTerm, contracted_amount, term_for
from usage.models import UsageImport, UsageRow

ZERO = Decimal(0)
CHUNK_ROWS = 2_000


@dataclass(frozen=True)
class LineCost:
    """One stored bill line under the terms: its list and contracted USD, and the rule applied."""

    what: str
    list_usd: Decimal
    contracted_usd: Decimal
    term: OverlayTerm | None


@dataclass
class MoneyBucket:
    rows: int = 0
    list_usd: Decimal = ZERO
    contracted_usd: Decimal = ZERO
    list_converted: Decimal = ZERO
    contracted_converted: Decimal = ZERO
    rules: dict[int, int] = field(default_factory=dict)  # rule id → lines it set

    def add(self, lines: list[LineCost], rate: Decimal | None) -> None:
        self.rows += 1
        for line in lines:
            self.list_usd += line.list_usd
            self.contracted_usd += line.contracted_usd
            if rate is not None:
                self.list_converted += line.list_usd * rate
                self.contracted_converted += line.contracted_usd * rate
            if line.term is not None:
                self.rules[line.term.rule_id] = self.rules.get(line.term.rule_id, 0) + 1

    def as_json(self, currency: str | None) -> dict[str, Any]:
        costs: dict[str, Any] = {
            "priced_rows": self.rows,
            "ListCost": self.list_usd,
            "ContractedCost": self.contracted_usd,
            "EffectiveCost": self.contracted_usd,
            "overlay_rules": [{"id": rule, "lines": lines} for rule, lines in sorted(self.rules.items())],
        }
        if currency is not None:
            costs["converted"] = {
                "currency": currency,
                "ListCost": self.list_converted,
                "ContractedCost": self.contracted_converted,
                "EffectiveCost": self.contracted_converted,
            }
        return costs


PRICED_ROW_FIELDS = ("at", "service_tier", "lines", "model__provider__slug", "model__slug")


def priced_rows(usage_import: UsageImport) -> Iterator[tuple[Any, ...]]:
    """The priced rows as plain values (``PRICED_ROW_FIELDS``), in file order: no model objects."""
    rows = UsageRow.objects.filter(usage_import=usage_import, cost_usd__isnull=False).order_by("number")
    return rows.values_list(*PRICED_ROW_FIELDS).iterator(chunk_size=CHUNK_ROWS)


def row_lines(row: UsageRow, terms: MoneyTerms) -> list[LineCost]:
    """Each stored line of ``row`` under the rule in force at the row's own moment."""
    assert row.model is not None
    return line_costs(
        row.lines,
        provider=row.model.provider.slug,
        model=row.model.slug,
        service_tier=row.service_tier,
        at=row.at,
        terms=terms,
    )


def line_costs(  # noqa: PLR0913 - a stored row's facts, by name
    lines: list[dict[str, Any]],
    *,
    provider: str,
    model: str,
    service_tier: str,
    at: datetime,
    terms: MoneyTerms,
) -> list[LineCost]:
    costs = []
    for line in lines:
        what = line["what"]
        term = term_for(
            terms.terms, what=what, provider=provider, model=model, service_tier=service_tier, at=at
        )
        listed = Decimal(line["usd"])
        contracted = contracted_amount(
            listed, quantity=int(line["quantity"]), per=int(line["per"]), term=term
        )
        costs.append(LineCost(what=what, list_usd=listed, contracted_usd=contracted, term=term))
    return costs


def row_day(row: UsageRow) -> date:
    return day_of(row.at)


def day_of(at: datetime) -> date:
    return at.astimezone(UTC).date()


def prepare_conversions(usage_import: UsageImport, terms: MoneyTerms) -> None:
    """Read the conversion of every day the import's priced rows fall on, before anything is
    written out: a day without a rate is a 400 naming ``currency``, never a half-sent export."""
    if terms.currency is None:
        return
    days = (
        UsageRow.objects.filter(usage_import=usage_import, cost_usd__isnull=False)
        .annotate(day=TruncDate("at", tzinfo=UTC))
        .values_list("day", flat=True)
        .distinct()
    )
    for day in sorted(days):
        terms.conversion(day)


def import_money(usage_import: UsageImport, terms: MoneyTerms) -> dict[str, Any]:
    """The import's FOCUS costs in total, by day (UTC) and by model, the rules that applied, and
    every day's conversion (rate, date, source) that the converted amounts used."""
    prepare_conversions(usage_import, terms)
    total, by_day, by_model = MoneyBucket(), dict[date, MoneyBucket](), dict[str, MoneyBucket]()
    for at, tier, stored, provider, model in priced_rows(usage_import):
        day = day_of(at)
        conversion = terms.conversion(day)
        lines = line_costs(stored, provider=provider, model=model, service_tier=tier, at=at, terms=terms)
        rate = conversion.rate if conversion else None
        key = f"{provider}/{model}"
        for bucket in (total, by_day.setdefault(day, MoneyBucket()), by_model.setdefault(key, MoneyBucket())):
            bucket.add(lines, rate)
    currency = terms.currency
    return as_json(
        {
            "overlay": terms.overlay,
            "currency": currency,
            "rules": [rule_json(term) for term in terms.terms if term.rule_id in total.rules],
            **total.as_json(currency),
            "by_day": [_day(day, by_day[day], terms) for day in sorted(by_day)],
            "by_model": [
                {"key": key, **by_model[key].as_json(currency)}
                for key in sorted(by_model, key=lambda k: (-by_model[k].contracted_usd, k))
            ],
            "conversions": [conversion_json(terms.conversions[day]) for day in sorted(terms.conversions)],
        }
    )


def _day(day: date, bucket: MoneyBucket, terms: MoneyTerms) -> dict[str, Any]:
    entry = {"key": day.isoformat(), **bucket.as_json(terms.currency)}
    conversion = terms.conversion(day)
    if conversion is not None:
        entry["converted"].update(rate=conversion.rate, rate_date=conversion.rate_date)
    return entry
