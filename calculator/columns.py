"""An estimate row, declared once: each field of ``EstimateRow`` carries its column (label, kind,
whether it is exported to CSV and shown in the comparison table). The API schema, the CSV export,
the saved-comparison page and the page's script (through the estimate response's ``columns``)
all follow this declaration; nothing else lists the row's fields.

Field order is the CSV's column order (an export contract), so fields exported to CSV come first.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["text", "tokens", "money", "flag", "moment", "count", "id"]


@dataclass(frozen=True)
class Column:
    """``kind`` says how to sort and show a value: money is an exact decimal string, tokens and
    counts are integers, a flag is true/false/null. ``shows`` names the field a table cell shows
    instead (a provider slug is shown as its name). ``counted``: the value comes from the token
    count, so it is null when the model's tokenizer is unavailable. ``table_after``: the table
    shows it right after that column (a column appended for the CSV's sake, read beside others)."""

    name: str
    label: str
    kind: Kind
    csv: bool
    table: bool
    shows: str | None = None
    counted: bool = False
    table_after: str | None = None


def _col(
    label: str,
    kind: Kind,
    *,
    csv: bool = True,
    table: bool = False,
    shows: str | None = None,
    counted: bool = False,
    table_after: str | None = None,
) -> Any:
    return dataclasses.field(metadata={"column": (label, kind, csv, table, shows, counted, table_after)})


@dataclass(frozen=True)
class EstimateRow:
    """One model's estimate: tokens of its own tokenizer, costs (USD, None when the tokenizer is
    unavailable) from the price version in force."""

    provider: str = _col("Provider", "text", table=True, shows="provider_name")
    model: str = _col("Model id", "text")
    name: str = _col("Model", "text", table=True)
    tokenizer: str = _col("Tokenizer", "text", table=True, shows="tokenizer_name")
    exact: bool = _col("Exact count", "flag")
    text_tokens: int | None = _col("Text tokens", "tokens", counted=True)
    chat_overhead_tokens: int | None = _col("Chat framing tokens", "tokens", counted=True)
    input_tokens: int | None = _col("Input tokens", "tokens", table=True, counted=True)
    cached_input_tokens: int | None = _col("Cached input tokens", "tokens", counted=True)
    output_tokens: int = _col("Output tokens", "tokens", table=True)
    input_usd: Decimal | None = _col("Input $", "money", table=True, counted=True)
    output_usd: Decimal | None = _col("Output $", "money", table=True, counted=True)
    total_usd: Decimal | None = _col("Total $ / request", "money", table=True, counted=True)
    requests_per_month: int = _col("Requests per month", "count")
    monthly_usd: Decimal | None = _col("Monthly $", "money", table=True, counted=True)
    price_version: int | None = _col("Price version", "id")
    effective_from: datetime | None = _col("Price from", "moment")
    effective_to: datetime | None = _col("Price until", "moment")
    tier_applied: int | None = _col("Long-context tier above", "tokens", counted=True)
    batch_applied: bool | None = _col("Batch price", "flag", counted=True)
    context_window: int | None = _col("Context window", "tokens", table=True)
    fits_context: bool | None = _col("Fits?", "flag", table=True, counted=True)
    available: bool = _col("Tokenizer available", "flag")
    note: str | None = _col("Note", "text")
    quality: str = _col("Count quality", "text", table=True)
    count_source: str = _col("Counted by", "text")
    framing: str | None = _col("Chat framing", "text")
    tools_tokens: int | None = _col("Tool definition tokens", "tokens", counted=True)
    # How the price's start is known: "exact", or a "window" (set after effective_from_earliest,
    # by effective_from), or "first_seen"; and why a row has no price at the chosen date.
    effective_from_earliest: datetime | None = _col("Price set after", "moment")
    start_basis: str | None = _col("Price start known", "text")
    price_note: str | None = _col("Price note", "text")
    service_tier: str | None = _col("Billed as", "text", counted=True)
    threshold_note: str | None = _col("Threshold", "text", table=True, counted=True)
    reasoning_tokens: int = _col("Reasoning tokens (assumed)", "tokens")
    # A conversation's images, by the published rule named in image_rule (appended: CSV order).
    image_tokens: int | None = _col("Image tokens", "tokens", counted=True)
    image_rule: str | None = _col("Image rule", "text")
    cache_write_tokens: int | None = _col("Cache-write tokens (assumed)", "tokens", counted=True)
    cache_write_lifetime: str | None = _col("Cache-write lifetime", "text", counted=True)
    # The rates the request was billed at, USD per million tokens (appended: CSV order).
    input_usd_per_mtok: Decimal | None = _col(
        "Input $/M", "money", table=True, counted=True, table_after="output_tokens"
    )
    output_usd_per_mtok: Decimal | None = _col(
        "Output $/M", "money", table=True, counted=True, table_after="input_usd_per_mtok"
    )
    cached_input_usd_per_mtok: Decimal | None = _col(
        "Cache read $/M", "money", table=True, counted=True, table_after="output_usd_per_mtok"
    )
    provider_name: str = _col("Provider name", "text", csv=False)
    tier: str | None = _col("Tier", "text", csv=False)
    status: str = _col("Status", "text", csv=False)
    tokenizer_name: str = _col("Tokenizer name", "text", csv=False)
    # No source has listed the model since then: a signal that it may be gone, not a retirement.
    missing_upstream_since: datetime | None = _col("Missing upstream since", "moment", csv=False)
    max_output_tokens: int | None = _col("Max output tokens", "tokens", csv=False)


COLUMNS: tuple[Column, ...] = tuple(
    Column(f.name, *f.metadata["column"]) for f in dataclasses.fields(EstimateRow)
)
CSV_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.csv)
COUNTED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.counted)


def _table_order(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The model's name heads its row, so it is the table's first column; a column with
    ``table_after`` follows that one."""
    ordered = sorted((c for c in columns if c.table and not c.table_after), key=lambda c: c.name != "name")
    for column in (c for c in columns if c.table and c.table_after):
        at = next(i for i, c in enumerate(ordered) if c.name == column.table_after)
        ordered.insert(at + 1, column)
    return tuple(ordered)


TABLE_COLUMNS: tuple[Column, ...] = _table_order(COLUMNS)


def columns_json() -> list[dict[str, Any]]:
    """The table's columns for the page's script, in display order."""
    return [dataclasses.asdict(c) for c in TABLE_COLUMNS]
