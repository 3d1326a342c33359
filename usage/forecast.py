"""The month's spend at the current pace: the arithmetic of the forecast. Pure: no Django.

The trailing windows end on the import's last day (UTC) and hold the calendar days up to it (7
and 28, fewer when the data is shorter; a day without a row is a day of $0). Each projected day
of the rest of the month gets the usage of a window (its requests by model, tier and hour of
the day), billed on that day at the prices in force then, divided by the window's days:

- ``central``: the 28-day window; with at least ``PATTERN_MIN_DAYS`` days in it, weekdays get
  its weekday usage and weekends its weekend usage (the weekday pattern);
- ``7 days`` and ``28 days``: each window's usage, flat;
- the range is the lowest and highest month total of those three.

Billing is the caller's (``usage.forecasting`` bills with the bill engine); this module only
adds up: totals, range, paces, and the day a budget runs out.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pricing.bill.money import money

WINDOWS = (7, 28)
PATTERN_MIN_DAYS = 14
CENT = Decimal("0.01")
ZERO = Decimal(0)
BUDGET_PATTERN = re.compile(r"\d{1,12}(\.\d{1,6})?")
METHOD = (
    "Each day left in the month is billed with the usage of the trailing 28 days (by model, tier "
    "and hour of the day) at the prices in force that day, divided by the window's days; with 14 "
    "days or more, weekdays use the window's weekdays and weekends its weekends. The range is the "
    "lowest and highest month total of that, the last 7 days flat and the last 28 days flat."
)


class BudgetError(ValueError):
    """A budget that is not a positive amount in USD."""


def parse_budget(text: str | None) -> Decimal | None:
    """A budget in USD as a Decimal (None when absent); plain digits, up to 6 decimal places."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if not BUDGET_PATTERN.fullmatch(text) or not Decimal(text):
        raise BudgetError(f"budget: {text[:40]!r} is not a positive amount in USD such as 250 or 99.50.")
    return Decimal(text)


def weekend(day: date) -> bool:
    return day.weekday() >= 5


@dataclass(frozen=True)
class Shape:
    """The days of a window whose usage a projected day is given: all, weekdays or weekends."""

    key: str
    first: date
    last: date
    kind: str  # "all", "weekday", "weekend"

    def holds(self, day: date) -> bool:
        if not self.first <= day <= self.last:
            return False
        return self.kind == "all" or (self.kind == "weekend") == weekend(day)

    @property
    def days(self) -> int:
        return sum(self.holds(day) for day in days_between(self.first, self.last))


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class Plan:
    """The windows of an import whose data runs from ``first`` to ``last`` (UTC days)."""

    first: date
    last: date

    def window(self, length: int) -> tuple[date, date]:
        return max(self.first, self.last - timedelta(days=length - 1)), self.last

    @property
    def patterned(self) -> bool:
        start, end = self.window(28)
        return (end - start).days + 1 >= PATTERN_MIN_DAYS

    @property
    def shapes(self) -> list[Shape]:
        shapes = [Shape(f"{n} days", *self.window(n), "all") for n in WINDOWS]
        if self.patterned:
            shapes += [Shape(f"28 days, {kind}s", *self.window(28), kind) for kind in ("weekday", "weekend")]
        return shapes

    @property
    def days_left(self) -> list[date]:
        end = self.last.replace(day=calendar.monthrange(self.last.year, self.last.month)[1])
        return days_between(self.last + timedelta(days=1), end) if end > self.last else []

    def central(self, day: date) -> str:
        """The shape that gives ``day`` its usage in the central forecast."""
        if not self.patterned:
            return "28 days"
        return "28 days, weekends" if weekend(day) else "28 days, weekdays"


def projections(plan: Plan, billed: Mapping[tuple[str, date], Decimal]) -> dict[str, dict[date, Decimal]]:
    """Each scenario's amount for each day left: the shape's usage billed on that day / its days."""
    sizes = {shape.key: shape.days for shape in plan.shapes}

    def amount(key: str, day: date) -> Decimal:
        return billed.get((key, day), ZERO) / sizes[key]

    return {
        "central": {day: amount(plan.central(day), day) for day in plan.days_left},
        **{f"{n} days": {day: amount(f"{n} days", day) for day in plan.days_left} for n in WINDOWS},
    }


@dataclass(frozen=True)
class Inputs:
    """What the forecast adds up: each day's cost of the priced rows (at the prices they were
    billed at), each scenario's projected days, and what the caller counted and found."""

    plan: Plan
    actual: Mapping[date, Decimal]
    projected: Mapping[str, Mapping[date, Decimal]]
    excluded_unpriced_rows: int
    scheduled_changes: list[dict[str, Any]]
    notes: list[str]


def assemble(inputs: Inputs, budget: Decimal | None) -> dict[str, Any]:
    plan = inputs.plan
    month = days_between(plan.last.replace(day=1), plan.last)
    to_date = sum((inputs.actual.get(day, ZERO) for day in month), ZERO)
    totals = {name: to_date + sum(days.values(), ZERO) for name, days in inputs.projected.items()}
    low, high = min(totals.values()), max(totals.values())
    central = inputs.projected["central"]
    return {
        "month": f"{plan.last:%Y-%m}",
        "last_day": plan.last.isoformat(),
        "days_in_month": calendar.monthrange(plan.last.year, plan.last.month)[1],
        "days_left": len(plan.days_left),
        "month_to_date_usd": money(to_date),
        "projected_usd": _cents(totals["central"]),
        "range": {"low_usd": _cents(low), "high_usd": _cents(high)},
        "scenarios": {name: _cents(total) for name, total in totals.items()},
        "paces": [_pace(plan, n, inputs.actual) for n in WINDOWS],
        "weekday_pattern": _pattern(plan, inputs.actual),
        "method": METHOD,
        "by_day": [
            {"day": day.isoformat(), "usd": _cents(central[day]), **_day_range(inputs.projected, day)}
            for day in plan.days_left
        ],
        "scheduled_changes": inputs.scheduled_changes,
        "excluded_unpriced_rows": inputs.excluded_unpriced_rows,
        "notes": inputs.notes,
        "budget": _budget(plan, month, inputs, budget),
    }


def _cents(value: Decimal) -> str:
    return money(value.quantize(CENT, rounding=ROUND_HALF_UP)) or "0"


def _day_range(projected: Mapping[str, Mapping[date, Decimal]], day: date) -> dict[str, str]:
    amounts = [days[day] for days in projected.values()]
    return {"low_usd": _cents(min(amounts)), "high_usd": _cents(max(amounts))}


def _mean(amounts: Iterable[Decimal], days: int) -> Decimal:
    return sum(amounts, ZERO) / days if days else ZERO


def _pace(plan: Plan, length: int, actual: Mapping[date, Decimal]) -> dict[str, Any]:
    first, last = plan.window(length)
    days = days_between(first, last)
    return {
        "window": f"{length} days",
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "days": len(days),
        "usd_per_day": _cents(_mean((actual.get(day, ZERO) for day in days), len(days))),
    }


def _pattern(plan: Plan, actual: Mapping[date, Decimal]) -> dict[str, str] | None:
    """The 28-day window's mean cost per weekday and per weekend day (at the prices billed)."""
    if not plan.patterned:
        return None
    days = days_between(*plan.window(28))
    means = {}
    for kind, is_weekend in (("weekday", False), ("weekend", True)):
        chosen = [day for day in days if weekend(day) == is_weekend]
        means[f"{kind}_usd_per_day"] = _cents(_mean((actual.get(day, ZERO) for day in chosen), len(chosen)))
    return means


def _budget(plan: Plan, month: list[date], inputs: Inputs, budget: Decimal | None) -> dict[str, Any] | None:
    if budget is None:
        return None
    runs_out = {
        name: runs_out_on(month, inputs.actual, days, budget) for name, days in inputs.projected.items()
    }
    day = runs_out["central"]
    known = [found for found in runs_out.values() if found is not None]
    if day is None:
        message = f"At this pace the budget of ${money(budget)} does not run out this month."
    elif day <= plan.last:
        message = f"The budget of ${money(budget)} ran out on day {day.day} ({day.isoformat()})."
    else:
        message = (
            f"At this pace the budget of ${money(budget)} runs out on day {day.day} ({day.isoformat()})."
        )
    return {
        "usd": money(budget),
        "runs_out_on": day.isoformat() if day else None,
        "day": day.day if day else None,
        "earliest": min(known).isoformat() if known else None,
        "latest": max(known).isoformat() if len(known) == len(runs_out) else None,
        "message": message,
    }


def runs_out_on(
    month: list[date], actual: Mapping[date, Decimal], projected: Mapping[date, Decimal], budget: Decimal
) -> date | None:
    """The first day of the month whose running total (spent, then projected) reaches the budget."""
    running = ZERO
    days = [(day, actual.get(day, ZERO)) for day in month] + list(projected.items())
    for day, amount in days:
        running += amount
        if running >= budget:
            return day
    return None
