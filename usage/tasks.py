"""Celery tasks: thin wrappers that take an import's id and call ``usage.services``."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from usage.models import UsageImport
from usage.services import price_import

PRICE_IMPORT_TASK = "usage.price_import"


@shared_task(name=PRICE_IMPORT_TASK, acks_late=True, time_limit=settings.CELERY_TASK_TIME_LIMIT)
def price_import_task(import_id: str) -> None:
    """Bill every row of one usage import; progress is on the import as it goes."""
    price_import(import_id)


def start_pricing(usage_import: UsageImport, *, queue: str | None = None) -> UsageImport:
    """Queue the import's pricing (on ``queue``, default the default queue); with no broker it
    runs here and now (eager). The import as it stands afterwards."""
    price_import_task.apply_async(args=[usage_import.id], queue=queue)
    usage_import.refresh_from_db()
    return usage_import
