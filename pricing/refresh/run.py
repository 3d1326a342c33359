"""One refresh run of one source, start to finish.

Safety: one run per source at a time (``lease``); every raw payload archived by its SHA-256;
the same hash as the last successful run is "no change" and writes nothing else; a payload under
``PRICE_REFRESH_MIN_MODELS`` models or under half the last run's count is refused; the catalogue
changes in one transaction, so a failure leaves it exactly as it was.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from pricing.history.snapshots import Snapshot
from pricing.models import ImportRun, SourceLock
from pricing.refresh.apply import RELEASE_PREFIX, apply_payload
from pricing.refresh.archive import archive_payload
from pricing.refresh.errors import FetchError, LeaseLost, RefreshRefused
from pricing.refresh.fetch import bundled_payload, fetch_payload, source_url
from pricing.refresh.lease import acquire_lock, keep_lock, release_lock
from pricing.selectors.catalogue import last_refresh
from pricing.sources import SOURCES
from pricing.sources.records import ParsedPayload, PayloadError


def refresh_prices(
    *,
    source: str,
    url: str | None = None,
    bundled: bool = False,
    dry_run: bool = False,
    triggered_by: AbstractBaseUser | None = None,
    release: Snapshot | None = None,
) -> ImportRun:
    """Refresh ``source`` once and return its recorded run. ``release``: a payload already read
    from a published release of the source (its upload time dates what it shows).

    Raises ``FetchError`` (after recording the run as failed) when the upstream cannot be
    fetched, so a Celery task can retry; every other outcome is in the returned run's status.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown price source {source!r}; known: {', '.join(SOURCES)}")
    if bundled and source != "genai-prices":
        raise ValueError("--bundled exists only for genai-prices (the data inside the package)")
    if release is not None and (bundled or url or release.project != source):
        raise ValueError(f"a {release.project} release is a payload of its own: no URL or bundle with it")
    where = "bundled genai-prices package data" if bundled else (url or source_url(source))
    if release is not None:
        where = release.url or f"{RELEASE_PREFIX}{release.filename}"
    run = ImportRun.objects.create(source=source, url=where[:500], dry_run=dry_run, triggered_by=triggered_by)
    if not acquire_lock(source=source, run_id=run.pk):
        holder = SourceLock.objects.get(source=source)
        return _finish(
            run,
            ImportRun.Status.REFUSED,
            error=(
                f"another refresh of {source} is running (run #{holder.run_id}, lease until "
                f"{holder.expires_at:%Y-%m-%d %H:%M:%S} UTC); try again later"
            ),
        )
    try:
        return _run_locked(run, source=source, url=where, bundled=bundled, release=release)
    finally:
        release_lock(source=source, run_id=run.pk)


def _run_locked(
    run: ImportRun, *, source: str, url: str, bundled: bool, release: Snapshot | None
) -> ImportRun:
    try:
        if release is not None:
            payload = release.content
        else:
            payload = bundled_payload() if bundled else fetch_payload(url=url)
    except FetchError as error:
        _finish(run, ImportRun.Status.FAILED, error=f"fetch failed: {error}")
        raise
    run.payload_sha256 = hashlib.sha256(payload).hexdigest()
    run.payload_bytes = len(payload)
    if not run.dry_run:
        archive_payload(payload=payload, sha256=run.payload_sha256, source=source, url=url)
    previous = last_refresh(source)
    if previous and previous.payload_sha256 == run.payload_sha256:
        run.models_seen = previous.models_seen
        return _finish(run, ImportRun.Status.NO_CHANGE)
    try:
        parsed = SOURCES[source].load().parse(payload)
        _check_size(parsed, previous)
        with transaction.atomic():
            if not keep_lock(source=source, run_id=run.pk):
                raise LeaseLost(f"run #{run.pk} lost the lease of {source} to another run; it wrote nothing")
            now = release.upload_time if release is not None else timezone.now()
            apply_payload(run=run, source=source, parsed=parsed, now=now, release=release)
            if run.dry_run:
                transaction.set_rollback(True)
    except PayloadError as error:
        return _finish(run, ImportRun.Status.FAILED, error=f"unreadable payload: {error}")
    except RefreshRefused as error:
        return _finish(run, ImportRun.Status.REFUSED, error=str(error))
    except LeaseLost as error:
        return _finish(run, ImportRun.Status.FAILED, error=str(error))
    except Exception as error:
        _finish(run, ImportRun.Status.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    return _finish(run, ImportRun.Status.SUCCEEDED)


def _check_size(parsed: ParsedPayload, previous: ImportRun | None) -> None:
    count = parsed.models_in_payload
    minimum = settings.PRICE_REFRESH_MIN_MODELS
    if count < minimum:
        raise RefreshRefused(f"payload lists {count} models, under the minimum of {minimum}")
    if previous and count < previous.models_seen / 2:
        raise RefreshRefused(
            f"payload lists {count} models, under half of the last run's {previous.models_seen}"
        )


def _finish(run: ImportRun, status: str, *, error: str = "") -> ImportRun:
    if status != ImportRun.Status.SUCCEEDED:
        # Nothing of a refused or failed run reached the catalogue: its counts say so.
        run.versions_published = run.proposals_created = run.models_created = 0
        run.diff = []
    run.status, run.error, run.finished_at = status, error, timezone.now()
    run.save()
    return run
