"""An import's rows as a FinOps FOCUS cost and usage dataset, one row per bill line (CSV or JSON).

Columns are named as FOCUS names them; ours carry the ``x_`` prefix FOCUS reserves for
custom columns. A request is billed at its moment, so a charge period is the UTC hour holding
it (``ChargePeriodStart`` inclusive, ``ChargePeriodEnd`` exclusive). The costs are the
providers' public prices: ``ListCost`` at the line's list rate and ``BilledCost`` =
``EffectiveCost`` = ``ContractedCost`` the same unless an overlay applies (below). A row we could
not price is one line with the cost columns empty and ``x_UnpricedReason`` saying why: never $0.

With a contract overlay (``overlay``, or the default one) ``ContractedCost``, ``EffectiveCost``
and ``BilledCost`` are under the rule in force at the row's moment (``x_OverlayRule``); with a
display currency (``currency``) every cost and ``ListUnitPrice`` is in it, converted at the ECB
reference rate of the row's own UTC date (``x_ExchangeRate``, ``x_ExchangeRateDate``,
``x_ExchangeRateSource``), and ``BillingCurrency`` names it; the USD amounts stay in
``x_ListCostUSD`` and ``x_EffectiveCostUSD``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, timedelta
from decimal import Decimal
from typing import Any

from pricing.api.money import MoneyTerms
from pricing.bill.money import money
from usage.costs import LineCost, row_day, row_lines
from usage.models import UsageImport, UsageRow

FOCUS_COLUMNS = (
    "BilledCost",
    "BillingCurrency",
    "ChargeCategory",
    "ChargeDescription",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ContractedCost",
    "EffectiveCost",
    "ListCost",
    "ListUnitPrice",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
    "SkuId",
    "SkuPriceId",
    "Tags",
    "x_RowNumber",
    "x_Model",
    "x_ServiceTier",
    "x_Variant",
    "x_PriceVersion",
    "x_ReportedCost",
    "x_UnpricedReason",
    "x_OverlayRule",
    "x_ListCostUSD",
    "x_EffectiveCostUSD",
    "x_ExchangeRate",
    "x_ExchangeRateDate",
    "x_ExchangeRateSource",
)
CHUNK_ROWS = 2_000


def focus_records(usage_import: UsageImport, terms: MoneyTerms | None = None) -> Iterator[dict[str, Any]]:
    """Each bill line of each row, in file order, as a FOCUS record (values as text or None);
    ``terms``' conversions must be read first (``usage.costs.prepare_conversions``)."""
    rows = (
        UsageRow.objects.filter(usage_import=usage_import)
        .select_related("model__provider")
        .order_by("number")
    )
    for row in rows.iterator(chunk_size=CHUNK_ROWS):
        lines = row.lines or [None]
        costs = row_lines(row, terms) if terms is not None and terms.active and row.lines else None
        for index, line in enumerate(lines):
            record = _record(row, line, reported=index == 0)
            if costs is not None and terms is not None:
                record.update(_money_columns(row, row.lines[index], costs[index], terms))
            yield record


def _money_columns(row: UsageRow, line: dict[str, Any], cost: LineCost, terms: MoneyTerms) -> dict[str, Any]:
    """A line's costs under the overlay rule at the row's moment, in the currency of its day."""
    conversion = terms.conversion(row_day(row))
    rate = conversion.rate if conversion is not None else Decimal(1)
    columns: dict[str, Any] = {
        "ListCost": money(cost.list_usd * rate),
        "ContractedCost": money(cost.contracted_usd * rate),
        "EffectiveCost": money(cost.contracted_usd * rate),
        "BilledCost": money(cost.contracted_usd * rate),
        "x_OverlayRule": cost.term.rule_id if cost.term is not None else None,
        "x_ListCostUSD": money(cost.list_usd),
        "x_EffectiveCostUSD": money(cost.contracted_usd),
    }
    if conversion is not None:
        columns.update(
            BillingCurrency=conversion.currency,
            ListUnitPrice=money(Decimal(line["rate_usd"]) * rate),
            x_ExchangeRate=money(conversion.rate),
            x_ExchangeRateDate=conversion.rate_date.isoformat(),
            x_ExchangeRateSource=conversion.source.name,
        )
    return columns


def _record(row: UsageRow, line: dict[str, Any] | None, *, reported: bool) -> dict[str, Any]:
    start = row.at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    provider = row.model.provider.slug if row.model else None
    model = f"{provider}/{row.model.slug}" if row.model else row.model_name
    record: dict[str, Any] = dict.fromkeys(FOCUS_COLUMNS)
    record.update(
        BillingCurrency="USD",
        ChargeCategory="Usage",
        ChargePeriodStart=start.isoformat(),
        ChargePeriodEnd=(start + timedelta(hours=1)).isoformat(),
        ProviderName=provider,
        PublisherName=provider,
        ServiceCategory="AI and Machine Learning",
        ServiceName=model,
        Tags=json.dumps(dict.fromkeys(row.tags.split(";"), "")) if row.tags else None,
        x_RowNumber=row.number,
        x_Model=model,
        x_ServiceTier=row.service_tier,
        x_ReportedCost=money(row.reported_cost_usd) if reported else None,
        x_UnpricedReason=row.unpriced_reason or None,
    )
    if line is not None:
        record.update(_line_columns(model, line))
    return record


def _line_columns(model: str, line: dict[str, Any]) -> dict[str, Any]:
    per = Decimal(line["per"])
    unit = "1M Tokens" if per == 1_000_000 else f"{per:,} units"
    return {
        "BilledCost": line["usd"],
        "ContractedCost": line["usd"],
        "EffectiveCost": line["usd"],
        "ListCost": line["usd"],
        "ListUnitPrice": line["rate_usd"],
        "ChargeDescription": f"{line['what']} on {model} ({line['variant']})",
        "ConsumedQuantity": line["quantity"],
        "ConsumedUnit": "Tokens" if per == 1_000_000 else line["what"],
        "PricingQuantity": str(Decimal(line["quantity"]) / per),
        "PricingUnit": unit,
        "SkuId": f"{model}:{line['what']}",
        "SkuPriceId": f"{line['price_version']}:{line['variant']}:{line['what']}",
        "x_Variant": line["variant"],
        "x_PriceVersion": line["price_version"],
    }


def focus_csv(usage_import: UsageImport, terms: MoneyTerms | None = None) -> Iterator[str]:
    """The dataset as CSV text, a header then a chunk of lines at a time."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FOCUS_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for count, record in enumerate(focus_records(usage_import, terms), start=1):
        writer.writerow({key: _safe(value) for key, value in record.items()})
        if count % CHUNK_ROWS == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) and not _is_number(value):
        return f"'{value}"
    return value


def _is_number(value: str) -> bool:
    try:
        Decimal(value)
    except ArithmeticError:
        return False
    return True


def focus_json(usage_import: UsageImport, terms: MoneyTerms | None = None) -> Iterator[str]:
    """The dataset as a JSON document ``{"columns": [...], "rows": [...]}``, streamed."""
    yield json.dumps({"import": usage_import.id, "columns": FOCUS_COLUMNS})[:-1] + ', "rows": ['
    for index, record in enumerate(focus_records(usage_import, terms)):
        yield ("," if index else "") + json.dumps(record)
    yield "]}"
