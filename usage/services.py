"""Every write of usage imports: create (the file checked whole first), price in chunks, delete.

``create_import`` reads the whole file once before anything is written, so a bad file is a
``UsageFileError`` naming its row and nothing is kept; the caller then queues the pricing
(``usage.tasks.start_pricing``). ``price_import`` (the Celery task's body)
then bills every row at its own moment chunk by chunk, storing rows and progress; if it fails,
its rows are removed and the import says why.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pricing.bill.money import money
from usage.formats import FORMATS, GENERIC, UsageFileError, UsageRecord, read_json_rows
from usage.models import UsageImport, UsageRow
from usage.selectors import RowBill, RowBiller
from usage.summary import BillFacts, Summary

logger = logging.getLogger(__name__)
GENERIC_JSON = "generic-json"


def upload_path(usage_import: UsageImport) -> Path:
    suffix = ".csv" if usage_import.format == GENERIC else ".json"
    return settings.USAGE_UPLOAD_DIR / f"{usage_import.id}{suffix}"


def create_import(*, chunks: Iterable[bytes], filename: str, file_format: str = GENERIC) -> UsageImport:
    """Keep an uploaded file of ``file_format`` (one of ``FORMATS``, given as byte chunks) after
    reading it whole."""
    usage_import = UsageImport(format=file_format, filename=filename[:255])
    path = upload_path(usage_import)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        usage_import.size_bytes = path.stat().st_size
        usage_import.rows_total = _count_rows(usage_import, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return _queue(usage_import)


def create_import_from_rows(*, rows: list[object]) -> UsageImport:
    """The same from rows given as JSON objects with the CSV's column names."""
    usage_import = UsageImport(format=GENERIC_JSON, filename="rows.json")
    total = sum(1 for _ in read_json_rows(rows, max_rows=settings.USAGE_MAX_ROWS))
    path = upload_path(usage_import)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, default=str), encoding="utf-8")
    usage_import.size_bytes = path.stat().st_size
    usage_import.rows_total = total
    return _queue(usage_import)


def _count_rows(usage_import: UsageImport, path: Path) -> int:
    with path.open("rb") as stream:
        return sum(1 for _ in _records(usage_import, stream))


def _queue(usage_import: UsageImport) -> UsageImport:
    """Saved in autocommit, so the worker the caller then asks (``usage.tasks``) finds the row."""
    usage_import.save()
    return usage_import


def _records(usage_import: UsageImport, stream: BinaryIO) -> Iterator[UsageRecord]:
    if usage_import.format == GENERIC_JSON:
        return read_json_rows(json.load(stream), max_rows=settings.USAGE_MAX_ROWS)
    return FORMATS[usage_import.format](stream, max_rows=settings.USAGE_MAX_ROWS)


def price_import(import_id: str) -> None:
    """Bill every row of the import at its own moment, chunk by chunk, with progress."""
    usage_import = UsageImport.objects.filter(pk=import_id).first()
    if usage_import is None or usage_import.status == UsageImport.Status.DONE:
        return  # deleted meanwhile, or a redelivered task: nothing to do
    UsageRow.objects.filter(usage_import=usage_import).delete()  # a retried run starts clean
    usage_import.status, usage_import.rows_done = UsageImport.Status.RUNNING, 0
    usage_import.save(update_fields=["status", "rows_done"])
    try:
        summary = _price_rows(usage_import)
    except Exception as error:
        _fail(usage_import, error)
        if not isinstance(error, UsageFileError):
            raise
        return
    usage_import.summary = summary.state()
    usage_import.status, usage_import.finished_at = UsageImport.Status.DONE, timezone.now()
    usage_import.save(update_fields=["summary", "status", "finished_at"])
    upload_path(usage_import).unlink(missing_ok=True)


def _price_rows(usage_import: UsageImport) -> Summary:
    biller, summary = RowBiller(), Summary()
    with upload_path(usage_import).open("rb") as stream:
        records = _records(usage_import, stream)
        while chunk := list(islice(records, settings.USAGE_CHUNK_ROWS)):
            biller.prepare({record.model for record in chunk})
            rows = []
            for record in chunk:
                billed = biller.bill(record)
                _add(summary, record, billed)
                rows.append(_row(usage_import, record, billed))
            with transaction.atomic():
                UsageRow.objects.bulk_create(rows)
                usage_import.rows_done += len(rows)
                UsageImport.objects.filter(pk=usage_import.pk).update(rows_done=usage_import.rows_done)
    return summary


def _add(summary: Summary, record: UsageRecord, billed: RowBill) -> None:
    bill, version = billed.bill, billed.version
    facts = None
    if bill is not None and version is not None:
        over = bill.tier_threshold_tokens is not None
        facts = BillFacts(version.pk, version.effective_from.isoformat(), bill.variant, over)
    usage = record.usage
    summary.add(
        day=record.at.astimezone(UTC).date().isoformat(),
        model=billed.model_key,
        tags=record.tags,
        cost_usd=None if billed.bill is None else billed.bill.total_usd,
        reported_usd=record.reported_cost_usd,
        unpriced_reason=billed.unpriced_reason,
        model_found=billed.model is not None,
        facts=facts,
        cache_writes=bool(usage.cache_write_5m_tokens or usage.cache_write_1h_tokens),
    )


def _row(usage_import: UsageImport, record: UsageRecord, billed: RowBill) -> UsageRow:
    bill = billed.bill
    lines = [
        {
            "what": line.what,
            "quantity": line.quantity,
            "rate_usd": money(line.rate_usd),
            "per": line.per,
            "usd": money(line.usd),
            "variant": line.variant,
            "price_version": line.provenance.price_version,
        }
        for line in (bill.lines if bill else ())
    ]
    usage = record.usage
    return UsageRow(
        usage_import=usage_import,
        number=record.row,
        at=record.at,
        model_name=record.model,
        model=billed.model,
        input_tokens=usage.input_tokens,
        cache_read_tokens=usage.cache_read_tokens,
        cache_write_5m_tokens=usage.cache_write_5m_tokens,
        cache_write_1h_tokens=usage.cache_write_1h_tokens,
        output_tokens=usage.output_tokens,
        reasoning_tokens=usage.reasoning_tokens,
        service_tier=record.service_tier,
        tags=";".join(record.tags),
        reported_cost_usd=record.reported_cost_usd,
        cost_usd=None if bill is None else bill.total_usd,
        price_version=billed.version if bill else None,
        variant=bill.variant if bill else "",
        unpriced_reason=billed.unpriced_reason,
        lines=lines,
    )


def _fail(usage_import: UsageImport, error: Exception) -> None:
    """Nothing half-written: the rows go, the import keeps only why it failed."""
    UsageRow.objects.filter(usage_import=usage_import).delete()
    message = error.message if isinstance(error, UsageFileError) else "Internal error; it has been logged."
    if not isinstance(error, UsageFileError):
        logger.error("Usage import %s failed", usage_import.pk, exc_info=error)
    usage_import.status, usage_import.error = UsageImport.Status.FAILED, message
    usage_import.error_row = getattr(error, "row", None)
    usage_import.finished_at, usage_import.rows_done = timezone.now(), 0
    usage_import.save(update_fields=["status", "error", "error_row", "finished_at", "rows_done"])


def delete_import(usage_import: UsageImport) -> None:
    """The import, its rows and its file, gone."""
    with contextlib.suppress(OSError):
        upload_path(usage_import).unlink(missing_ok=True)
    with transaction.atomic():
        UsageRow.objects.filter(usage_import=usage_import).delete()
        usage_import.delete()
