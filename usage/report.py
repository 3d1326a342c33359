"""An import as the API and the page show it: status, progress, totals, coverage, breakdowns and
reconciliation, from the summary its task added up (``usage.summary``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from usage.models import UsageImport
from usage.selectors import nearest_model_names
from usage.summary import BREAKDOWNS, Bucket, Summary, explain_difference


def import_report(usage_import: UsageImport) -> dict[str, Any]:
    done = usage_import.status == UsageImport.Status.DONE
    total = usage_import.rows_total or 0
    report: dict[str, Any] = {
        "id": usage_import.id,
        "status": usage_import.status,
        "format": usage_import.format,
        "filename": usage_import.filename,
        "created_at": usage_import.created_at,
        "finished_at": usage_import.finished_at,
        "progress": {
            "rows_done": usage_import.rows_done,
            "rows_total": usage_import.rows_total,
            "percent": 100 if done else (100 * usage_import.rows_done // total if total else 0),
        },
        "error": (
            {"message": usage_import.error, "row": usage_import.error_row} if usage_import.error else None
        ),
    }
    if done:
        report.update(_totals(Summary.from_state(usage_import.summary)))
    return report


def _totals(summary: Summary) -> dict[str, Any]:
    total = summary.total.as_json()
    return {
        **total,
        "share_priced": _share(summary.total),
        "unpriced_reasons": [
            {"reason": reason, "rows": rows} for reason, rows in sorted(summary.unpriced_reasons.items())
        ],
        "models_not_found": [
            {"model": name, "rows": rows, "nearest": nearest_model_names(name)}
            for name, rows in sorted(summary.not_found.items())
        ],
        "breakdowns": {name: _breakdown(name, getattr(summary, name)) for name in BREAKDOWNS},
        "reconciliation": _reconciliation(summary),
    }


def _reconciliation(summary: Summary) -> list[dict[str, Any]]:
    """Per model with a reported cost: computed vs reported, and the causes that can be told."""
    rows = []
    for model, bucket in sorted(summary.by_model.items()):
        notes = summary.notes.get(model)
        if notes is None or not bucket.reported_rows:
            continue
        rows.append(
            {"key": model, "model": model, **bucket.as_json(), "causes": explain_difference(bucket, notes)}
        )
    return rows


def _share(bucket: Bucket) -> str:
    """Priced rows / rows as an exact decimal string ("1" when every row was priced)."""
    if not bucket.rows:
        return "1"
    share = (Decimal(bucket.priced_rows) / Decimal(bucket.rows)).quantize(Decimal("0.0001"))
    return format(share.normalize(), "f")


def _breakdown(name: str, buckets: dict[str, Bucket]) -> list[dict[str, Any]]:
    """Days in order; models and tags costliest first (then by name)."""
    if name == "by_day":
        keys = sorted(buckets)
    else:
        keys = sorted(buckets, key=lambda key: (-buckets[key].total_usd, key))
    return [{"key": key, **buckets[key].as_json()} for key in keys]
