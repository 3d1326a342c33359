"""Celery tasks: thin wrappers that take names and ids and call ``pricing.refresh``."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from pricing.refresh import FetchError, refresh_prices

REFRESH_TASK = "pricing.refresh_prices"


@shared_task(
    name=REFRESH_TASK,
    bind=True,
    autoretry_for=(FetchError,),
    retry_backoff=settings.PRICE_REFRESH_RETRY_BACKOFF,  # seconds, doubling
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=settings.PRICE_REFRESH_MAX_RETRIES,
    acks_late=True,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def refresh_prices_task(
    self: object,
    source: str,
    url: str | None = None,
    bundled: bool = False,
    dry_run: bool = False,
    triggered_by_id: int | None = None,
) -> dict[str, object]:
    """Refresh one source; network errors are retried with exponential backoff."""
    user = get_user_model().objects.filter(pk=triggered_by_id).first() if triggered_by_id else None
    run = refresh_prices(source=source, url=url, bundled=bundled, dry_run=dry_run, triggered_by=user)
    return {"run": run.pk, "status": run.status, "source": source}


def start_refresh(*, source: str, triggered_by_id: int | None = None, url: str | None = None) -> None:
    """Queue a refresh now. Publishing does not retry: a broker that cannot be reached raises
    here, so the caller (the admin's button) can say so instead of hanging."""
    kwargs = {"source": source, "url": url, "triggered_by_id": triggered_by_id}
    refresh_prices_task.apply_async(kwargs=kwargs, retry=False)


RATES_TASK = "pricing.refresh_reference_rates"


@shared_task(
    name=RATES_TASK,
    autoretry_for=(FetchError,),
    retry_backoff=settings.PRICE_REFRESH_RETRY_BACKOFF,
    retry_backoff_max=30 * 60,
    max_retries=settings.PRICE_REFRESH_MAX_RETRIES,
    acks_late=True,
)
def refresh_reference_rates_task(url: str | None = None) -> dict[str, object]:
    """Append the ECB reference rates published since the last run (``settings.ECB_RATES_URL``)."""
    from pricing.refresh.reference_rates import refresh_reference_rates

    return {"added": refresh_reference_rates(url=url)}
