"""What if: the same usage on another model, each request at its own hour, with its tokens scaled
by the measured ratio between the two models' tokenizers.

The ratio is measured on a small reference corpus, one text per content kind
(``usage/corpus``: English prose, code, Chinese prose, JSON): ``mid`` on the whole corpus,
``low`` and ``high`` the extreme kinds, so the alternative total is a range with its source.
Rows are grouped by their model's tokenizer, their UTC hour and their tier, and each group is
billed by the bill engine as that many requests of its average size on the other model at the
prices in force then (time-of-day bands are whole hours, so they are kept).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncHour

from calculator import tokenizers
from pricing.bill import BillUsage
from pricing.bill.money import money
from pricing.models import LanguageModel
from usage.formats import UsageRecord
from usage.formats.record import TOKEN_COLUMNS
from usage.models import UsageImport, UsageRow
from usage.selectors import RowBiller, resolve_models

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
CORPUS_KINDS = ("prose_en", "code", "prose_zh", "json")
LIMITS = (
    "Output length, reasoning behaviour and quality are not modelled: the other model is assumed to "
    "write the same text, so only its tokenizer changes the counts.",
    "Token counts are scaled by a ratio measured on a reference corpus, not on your prompts; the "
    "range spans the corpus's content kinds.",
    "Requests are grouped by hour and billed at the group's average size: a long-context threshold "
    "is judged on that average.",
    "A row on a tier the other model does not offer, or at a moment before its first price, stays "
    "unpriced and is counted.",
)
ONE = Decimal(1)


@dataclass(frozen=True)
class Ratio:
    """Target tokens per source token: ``mid`` on the whole corpus, ``low``/``high`` by kind."""

    source: str
    target: str
    low: Decimal
    mid: Decimal
    high: Decimal
    by_kind: dict[str, Decimal]
    measured: bool  # False: a tokenizer was unavailable, so counts are not scaled


def corpus() -> dict[str, str]:
    return {kind: (CORPUS_DIR / f"{kind}.txt").read_text(encoding="utf-8") for kind in CORPUS_KINDS}


@functools.lru_cache(maxsize=256)
def tokenizer_ratio(source: str, target: str) -> Ratio:
    """The measured ratio between two tokenizers (1 when they are the same one)."""
    if source == target:
        return Ratio(source, target, ONE, ONE, ONE, dict.fromkeys(CORPUS_KINDS, ONE), True)
    texts = corpus()
    try:
        counts = {
            kind: (tokenizers.count_tokens(text, source), tokenizers.count_tokens(text, target))
            for kind, text in texts.items()
        }
    except tokenizers.TokenizerError:
        return Ratio(source, target, ONE, ONE, ONE, {}, False)
    by_kind = {kind: _quotient(t, s) for kind, (s, t) in counts.items()}
    mid = _quotient(sum(t for _, t in counts.values()), sum(s for s, _ in counts.values()))
    return Ratio(source, target, min(by_kind.values()), mid, max(by_kind.values()), by_kind, True)


def _quotient(numerator: int, denominator: int) -> Decimal:
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Group:
    tokenizer: str
    hour: datetime
    service_tier: str
    requests: int
    tokens: dict[str, int]


def usage_groups(usage_import: UsageImport) -> list[Group]:
    """The import's rows whose model is known, by tokenizer, UTC hour and tier, summed."""
    rows = (
        UsageRow.objects.filter(usage_import=usage_import, model__isnull=False)
        .values(tokenizer=F("model__tokenizer_key"), hour=TruncHour("at"), tier=F("service_tier"))
        .annotate(requests=Count("id"), **{name: Sum(name) for name in TOKEN_COLUMNS})
        .order_by("hour")
    )
    return [
        Group(row["tokenizer"], row["hour"], row["tier"], row["requests"], {n: row[n] for n in TOKEN_COLUMNS})
        for row in rows
    ]


def what_if(usage_import: UsageImport, *, model_key: str, service_tier: str | None = None) -> dict[str, Any]:
    """The import's usage on ``model_key``: its total at the measured ratio and the range."""
    target = resolve_models([model_key]).get(model_key)
    if target is None:
        raise LookupError(model_key)
    key = f"{target.provider.slug}/{target.slug}"
    groups = usage_groups(usage_import)
    ratios = {g.tokenizer: tokenizer_ratio(g.tokenizer, target.tokenizer_key) for g in groups}
    biller = RowBiller()
    biller.prepare({key})
    totals = {
        which: _bill_groups(
            biller, groups, key, service_tier, {t: getattr(r, which) for t, r in ratios.items()}
        )
        for which in ("low", "mid", "high")
    }
    mid = totals["mid"]
    amounts = sorted(t["total_usd"] for t in totals.values())
    priced = mid["priced_rows"] > 0  # with no row priced the cost is unknown, never $0
    return {
        "model": key,
        "service_tier": service_tier,
        "tokenizer": target.tokenizer_key,
        "total_usd": money(mid["total_usd"]) if priced else None,
        "range": {"low_usd": money(amounts[0]), "high_usd": money(amounts[-1])} if priced else None,
        "rows": mid["rows"],
        "priced_rows": mid["priced_rows"],
        "unpriced_rows": mid["rows"] - mid["priced_rows"],
        "unpriced_reasons": sorted(mid["reasons"]),
        "ratios": [_ratio_json(ratio) for ratio in ratios.values()],
        "ratio_source": f"measured on usage/corpus ({', '.join(CORPUS_KINDS)}) with each model's tokenizer",
        "limits": list(LIMITS),
    }


def _bill_groups(
    biller: RowBiller, groups: list[Group], key: str, tier: str | None, ratios: dict[str, Decimal]
) -> dict[str, Any]:
    total, rows, priced, reasons = Decimal(0), 0, 0, set()
    for group in groups:
        scaled = {name: _scale(count, ratios[group.tokenizer]) for name, count in group.tokens.items()}
        record = UsageRecord(
            row=0,
            at=group.hour,
            model=key,
            usage=BillUsage(**scaled),
            service_tier=tier or group.service_tier,
            requests=group.requests,
        )
        billed = biller.bill(record)
        rows += group.requests
        if billed.bill is None:
            reasons.add(billed.unpriced_reason)
            continue
        priced += group.requests
        total += billed.bill.total_usd
    return {"total_usd": total, "rows": rows, "priced_rows": priced, "reasons": reasons}


def _scale(count: int, ratio: Decimal) -> int:
    return int((Decimal(count) * ratio).quantize(ONE, rounding=ROUND_HALF_UP))


def _ratio_json(ratio: Ratio) -> dict[str, Any]:
    return {
        "from_tokenizer": ratio.source,
        "to_tokenizer": ratio.target,
        "low": str(ratio.low),
        "mid": str(ratio.mid),
        "high": str(ratio.high),
        "by_kind": {kind: str(value) for kind, value in ratio.by_kind.items()},
        "measured": ratio.measured,
    }


def cheapest_alternatives(usage_import: UsageImport, *, limit: int = 10) -> list[dict[str, Any]]:
    """The featured models still sold, cheapest first for this usage (fully priced ones first)."""
    candidates = LanguageModel.objects.listed().sold().filter(featured=True).select_related("provider")
    table = []
    for model in candidates:
        result = what_if(usage_import, model_key=f"{model.provider.slug}/{model.slug}")
        table.append(
            {
                key: result[key]
                for key in ("model", "total_usd", "range", "rows", "priced_rows", "unpriced_rows")
            }
        )
    table.sort(key=lambda row: (row["unpriced_rows"], Decimal(row["total_usd"] or 0), row["model"]))
    return table[:limit]
