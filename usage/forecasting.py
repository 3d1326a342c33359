"""The forecast's reads: the trailing windows' priced usage (by model, tier and hour of the day),
billed by the bill engine on each day left in the month at the version in force that day
(``usage.selectors.RowBiller``, the row billing of the import), so a price change already
scheduled in the catalogue applies from its date. The arithmetic is ``usage.forecast``'s.

Reading and billing are the expensive part (seconds on a million rows) and depend only on the
import's rows (never rewritten once done) and on its models' price versions and retirements; a
budget changes only the arithmetic. So that part (``usage.forecast.Inputs``) is kept in the
default cache under the import's id with the catalogue's generation token, which the database
changes on every write to providers, models and price versions (migration pricing 0015): a
version published, ended or withdrawn, a model retired, added or renamed, and the next forecast
is billed afresh. An unreachable cache only costs the speed."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import CharField, Count, F, Max, Sum
from django.db.models.functions import Cast, Substr

from pricing.bill import BillUsage
from pricing.models import LanguageModel, PriceVersion
from pricing.selectors.catalogue import catalogue_generation
from usage.forecast import WINDOWS, Inputs, Plan, assemble, projections
from usage.formats import UsageRecord
from usage.formats.record import TOKEN_COLUMNS
from usage.models import UsageImport, UsageRow
from usage.selectors import RowBiller
from usage.summary import Summary

logger = logging.getLogger(__name__)

# (model "provider/model", tier, hour of the day) → [requests, *token counts]
Usage = dict[tuple[str, str, int], list[int]]

CACHE_SECONDS = 7 * 24 * 3600
CACHE_PREFIX = "usage-forecast:v2:"


def import_forecast(usage_import: UsageImport, *, budget: Decimal | None = None) -> dict[str, Any] | None:
    """The month's forecast of a done import (None when it has no row)."""
    inputs = forecast_inputs(usage_import)
    return None if inputs is None else assemble(inputs, budget)


def forecast_inputs(usage_import: UsageImport) -> Inputs | None:
    """What the forecast adds up (None when the import has no row): kept, or read and billed.

    Kept under the catalogue's generation token (``pricing.selectors.catalogue``), read before the
    catalogue is: a write while the days are billed leaves a kept answer under the older token,
    never a stale answer under the newer one."""
    if not Summary.from_state(usage_import.summary).by_day:
        return None
    token = catalogue_generation()
    if token is None:  # a database without the token: nothing is kept
        return _read_and_bill(usage_import)
    key = CACHE_PREFIX + usage_import.pk
    kept = _cache_call(cache.get, key)
    if kept is not None and kept[0] == token:
        return kept[1]  # type: ignore[no-any-return]
    inputs = _read_and_bill(usage_import)
    _cache_call(cache.set, key, (token, inputs), CACHE_SECONDS)
    return inputs


def _cache_call(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except Exception as error:  # noqa: BLE001 - each cache backend raises its own errors
        logger.warning("usage forecast not kept: the cache is unreachable (%r)", error)
        return None


def _read_and_bill(usage_import: UsageImport) -> Inputs:
    summary = Summary.from_state(usage_import.summary)
    days = {date.fromisoformat(key): bucket for key, bucket in summary.by_day.items()}
    plan = Plan(min(days), max(days))
    usage = _shape_usage(usage_import, plan)
    models = {model for shape in usage.values() for model, _, _ in shape}
    billed, notes = _bill_days(plan, usage, _boundaries(models, plan))
    since = min(plan.window(28)[0], plan.last.replace(day=1))
    inputs = Inputs(
        plan=plan,
        actual={day: bucket.total_usd for day, bucket in days.items()},
        projected=projections(plan, billed),
        excluded_unpriced_rows=sum(b.rows - b.priced_rows for day, b in days.items() if day >= since),
        scheduled_changes=_scheduled(usage_import, models, plan),
        notes=notes,
    )
    return inputs


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _shape_usage(usage_import: UsageImport, plan: Plan) -> dict[str, Usage]:
    """Each shape's priced usage, summed by model, tier and hour of the day."""
    first, last = plan.window(28)
    rows = (
        UsageRow.objects.filter(
            usage_import=usage_import,
            cost_usd__isnull=False,
            at__gte=_midnight(first),
            at__lt=_midnight(last + timedelta(days=1)),
        )
        .values(
            provider=F("model__provider__slug"),
            slug=F("model__slug"),
            hour=Substr(Cast("at", CharField()), 1, 13),  # "YYYY-MM-DD HH", UTC: grouped in SQL
            tier=F("service_tier"),
        )
        .annotate(requests=Count("id"), **{name: Sum(name) for name in TOKEN_COLUMNS})
    )
    shapes: dict[str, Usage] = {shape.key: {} for shape in plan.shapes}
    for row in rows:
        day, hour = date.fromisoformat(row["hour"][:10]), int(row["hour"][11:13])
        key = (f"{row['provider']}/{row['slug']}", row["tier"], hour)
        counts = [row["requests"], *(row[name] for name in TOKEN_COLUMNS)]
        for shape in plan.shapes:
            if shape.holds(day):
                total = shapes[shape.key].setdefault(key, [0] * len(counts))
                total[:] = [a + b for a, b in zip(total, counts, strict=True)]
    return shapes


def _boundaries(models: set[str], plan: Plan) -> set[date]:
    """The days left on which a price version of these models starts or ends, or one retires."""
    if not plan.days_left or not models:
        return set()
    start, end = _midnight(plan.days_left[0]), _midnight(plan.days_left[-1] + timedelta(days=1))
    moments: list[datetime | None] = []
    for model in LanguageModel.objects.resolve(sorted(models)).values():
        moments.append(model.retired_at)
        for version in PriceVersion.objects.standing().filter(model=model):
            moments += [version.effective_from, version.effective_to]
    return {moment.date() for moment in moments if moment is not None and start <= moment < end}


def _bill_days(
    plan: Plan, usage: dict[str, Usage], boundaries: set[date]
) -> tuple[dict[tuple[str, date], Decimal], list[str]]:
    """The usage of each shape a day left uses, billed on that day. Days between the same price
    boundaries and on the same weekday bill alike, so each such pair is billed once."""
    biller = RowBiller()
    biller.prepare({model for shape in usage.values() for model, _, _ in shape})
    billed: dict[tuple[str, date], Decimal] = {}
    done: dict[tuple[str, object], Decimal] = {}
    reasons: dict[tuple[str, str], date] = {}  # (model, why unpriced) → the first day it is
    for day in plan.days_left:
        segment = sum(boundary <= day for boundary in boundaries)
        alike = day if day in boundaries else (segment, day.weekday())
        for key in {plan.central(day), *(f"{n} days" for n in WINDOWS)}:  # the shapes the day uses
            if (key, alike) not in done:
                done[key, alike] = _bill_on(biller, usage[key], day, reasons)
            billed[key, day] = done[key, alike]
    notes = [
        f"{model} has no price from {day.isoformat()} ({reason}): its usage is left out from then on"
        for (model, reason), day in sorted(reasons.items(), key=lambda item: (item[1], item[0]))
    ]
    return billed, notes


def _bill_on(biller: RowBiller, usage: Usage, day: date, reasons: dict[tuple[str, str], date]) -> Decimal:
    total = Decimal(0)
    for (model, tier, hour), (requests, *tokens) in usage.items():
        record = UsageRecord(
            row=0,
            at=_midnight(day) + timedelta(hours=hour),
            model=model,
            usage=BillUsage(**dict(zip(TOKEN_COLUMNS, tokens, strict=True))),
            service_tier=tier,
            requests=requests,
        )
        billed = biller.bill(record)
        if billed.bill is None:
            key = (model, billed.unpriced_reason)
            reasons[key] = min(reasons.get(key, day), day)
            continue
        total += billed.bill.total_usd
    return total


def _scheduled(usage_import: UsageImport, models: set[str], plan: Plan) -> list[dict[str, Any]]:
    """Price versions of the import's models that start after its last row, within the month."""
    if not plan.days_left or not models:
        return []
    last_row = UsageRow.objects.filter(usage_import=usage_import).aggregate(at=Max("at"))["at"]
    end = _midnight(plan.days_left[-1] + timedelta(days=1))
    found = LanguageModel.objects.resolve(sorted(models))
    versions = (
        PriceVersion.objects.standing()
        .filter(model__in=list(found.values()), effective_from__gt=last_row, effective_from__lt=end)
        .select_related("model__provider")
        .order_by("effective_from", "model_id")
    )
    return [
        {
            "model": version.model.key,
            "effective_from": version.effective_from.isoformat(),
            "price_version": version.pk,
        }
        for version in versions
    ]
