"""The price refresh: fetch → parse → validate → diff → publish | propose, for one source.

``refresh_prices()`` is the one entry point (the Celery task and the command call it). Safety:
one run per source at a time (a lease row that expires, and that a run on the same host takes
over at once when the process holding it is gone, so a killed worker cannot block it); every
raw payload archived by its SHA-256; the same hash as the last successful run is "no change"
and writes nothing else; a payload under ``PRICE_REFRESH_MIN_MODELS`` models or
under half the last run's count is refused; the catalogue changes in one transaction, so a
failure leaves it exactly as it was. ``last_refresh()`` is the selector for the models page;
``accept_proposal()`` / ``reject_proposal()`` decide what a run queued for review.
"""

from __future__ import annotations

import hashlib
import os
import socket
import urllib.error
import urllib.request
import zlib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import ImportRun, PriceProposal, PriceVersion
from .refresh_apply import apply_payload
from .refresh_models import PricePayload, SourceLock
from .services import PriceRejected, can_edit_prices, publish_price_version
from .sources import SOURCES
from .sources.diff import rates_from_json
from .sources.records import ParsedPayload, PayloadError
from .validation import Problem

DEFAULT_URLS = {
    "litellm": "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
    "openrouter": "https://openrouter.ai/api/v1/models",
}
DONE = (ImportRun.Status.SUCCEEDED, ImportRun.Status.NO_CHANGE)


class FetchError(Exception):
    """The upstream could not be reached or answered with an error; worth retrying later."""


class RefreshRefused(Exception):
    """The payload is unsafe to import; the run is recorded as refused."""


def source_url(source: str) -> str:
    """The URL a source is fetched from: ``PRICE_SOURCE_URLS[source]`` or the project's default."""
    configured = getattr(settings, "PRICE_SOURCE_URLS", {}).get(source)
    if configured:
        return configured
    if source == "genai-prices":
        from genai_prices.update_prices import DEFAULT_UPDATE_URL

        return DEFAULT_UPDATE_URL
    return DEFAULT_URLS[source]


def last_refresh(source: str | None = None) -> ImportRun | None:
    """The latest run that succeeded or found no change (optionally of one source)."""
    runs = ImportRun.objects.filter(status__in=DONE, dry_run=False)
    if source:
        runs = runs.filter(source=source)
    return runs.order_by("-finished_at", "-pk").first()


def refresh_prices(
    *,
    source: str,
    url: str | None = None,
    bundled: bool = False,
    dry_run: bool = False,
    triggered_by: AbstractBaseUser | None = None,
) -> ImportRun:
    """Refresh ``source`` once and return its recorded run.

    Raises ``FetchError`` (after recording the run as failed) when the upstream cannot be
    fetched, so a Celery task can retry; every other outcome is in the returned run's status.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown price source {source!r}; known: {', '.join(SOURCES)}")
    if bundled and source != "genai-prices":
        raise ValueError("--bundled exists only for genai-prices (the data inside the package)")
    where = "bundled genai-prices package data" if bundled else (url or source_url(source))
    run = ImportRun.objects.create(source=source, url=where[:500], dry_run=dry_run, triggered_by=triggered_by)
    if not acquire_lock(source=source, run_id=run.pk):
        holder = SourceLock.objects.get(source=source)
        return _finish(run, ImportRun.Status.REFUSED, error=(
            f"another refresh of {source} is running (run #{holder.run_id}, lease until "
            f"{holder.expires_at:%Y-%m-%d %H:%M:%S} UTC); try again later"))
    try:
        return _run_locked(run, source=source, url=where, bundled=bundled)
    finally:
        release_lock(source=source, run_id=run.pk)


def _run_locked(run: ImportRun, *, source: str, url: str, bundled: bool) -> ImportRun:
    try:
        payload = _bundled() if bundled else fetch_payload(url=url)
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
            apply_payload(run=run, source=source, parsed=parsed, now=timezone.now())
            if run.dry_run:
                transaction.set_rollback(True)
    except PayloadError as error:
        return _finish(run, ImportRun.Status.FAILED, error=f"unreadable payload: {error}")
    except RefreshRefused as error:
        return _finish(run, ImportRun.Status.REFUSED, error=str(error))
    except Exception as error:
        _finish(run, ImportRun.Status.FAILED, error=f"{type(error).__name__}: {error}")
        raise
    return _finish(run, ImportRun.Status.SUCCEEDED)


def _check_size(parsed: ParsedPayload, previous: ImportRun | None) -> None:
    count = parsed.models_in_payload
    minimum = getattr(settings, "PRICE_REFRESH_MIN_MODELS", 50)
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


def _bundled() -> bytes:
    from .sources.genai_prices_v2 import bundled_payload

    return bundled_payload()


def fetch_payload(*, url: str) -> bytes:
    """GET ``url``; ``FetchError`` for network errors, timeouts and HTTP errors."""
    timeout_s = getattr(settings, "PRICE_REFRESH_TIMEOUT", 30)
    max_bytes = getattr(settings, "PRICE_REFRESH_MAX_BYTES", 64 * 1024 * 1024)
    request = urllib.request.Request(url, headers={"User-Agent": "llmcalc-price-refresh/1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            payload = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"HTTP {error.code} from {url}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise FetchError(f"{getattr(error, 'reason', error)} ({url})") from None
    if len(payload) > max_bytes:
        raise FetchError(f"payload from {url} is larger than {max_bytes} bytes")
    return payload


def archive_payload(*, payload: bytes, sha256: str, source: str, url: str) -> PricePayload:
    """Keep the raw payload (once per hash), compressed; it survives whatever the run does."""
    existing = PricePayload.objects.filter(sha256=sha256).first()
    if existing:
        return existing
    return PricePayload.objects.create(
        sha256=sha256, source=source, url=url[:500], size_bytes=len(payload), content=zlib.compress(payload)
    )


def this_process() -> str:
    """``host:pid`` of the running process, as recorded in a lease it holds."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_is_gone(holder: str) -> bool:
    """True when ``holder`` names a process on this host that no longer exists.

    A process on another host cannot be checked from here: its lease must expire.
    """
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    return False


def acquire_lock(*, source: str, run_id: int, now: datetime | None = None) -> bool:
    """Take the source's lease for ``run_id`` unless another live run holds it.

    A lease is free when it was released, when it expired, or when the process holding it is
    gone (killed on this host). A run that lost its process is marked failed as abandoned.
    """
    now = now or timezone.now()
    ttl = timedelta(seconds=getattr(settings, "PRICE_REFRESH_LOCK_SECONDS", 20 * 60))
    try:
        with transaction.atomic():
            SourceLock.objects.get_or_create(source=source)
    except IntegrityError:
        pass  # created concurrently by another run: fine, the row exists
    lock = SourceLock.objects.get(source=source)
    free = Q(run_id__isnull=True) | Q(expires_at__lt=now)
    if lock.run_id is not None and lock.holder and holder_is_gone(lock.holder):
        free |= Q(run_id=lock.run_id, holder=lock.holder)  # only if nobody took it meanwhile
    taken = SourceLock.objects.filter(free, source=source).update(
        run_id=run_id, holder=this_process(), acquired_at=now, expires_at=now + ttl
    )
    if taken != 1:
        return False
    if lock.run_id is not None and lock.run_id != run_id:
        _abandon(lock, taken_by=run_id, now=now)
    return True


def _abandon(lock: SourceLock, *, taken_by: int, now: datetime) -> None:
    why = "its lease expired" if lock.expires_at and lock.expires_at < now else f"{lock.holder} is gone"
    ImportRun.objects.filter(pk=lock.run_id, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.FAILED, finished_at=now,
        error=f"abandoned: the process running it stopped before it finished ({why}); "
              f"nothing it had not committed was kept; run #{taken_by} took over",
    )


def release_lock(*, source: str, run_id: int) -> None:
    SourceLock.objects.filter(source=source, run_id=run_id).update(run_id=None, holder="", expires_at=None)


def accept_proposal(*, proposal: PriceProposal, user: AbstractBaseUser, note: str = "") -> PriceVersion:
    """Publish a pending proposal's rates as a new version decided by ``user`` (a price editor).

    Raises ``PriceRejected`` when the rates or dates can no longer be published (e.g. a newer
    version now exists), ``PermissionDenied`` when ``user`` may not edit prices.
    """
    with transaction.atomic():
        proposal = PriceProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != PriceProposal.Status.PENDING:
            raise PriceRejected([Problem("status", f"proposal #{proposal.pk} was already decided")])
        current = proposal.current_version
        version = publish_price_version(
            model=proposal.model, rates=rates_from_json(proposal.proposed),
            effective_from=proposal.effective_from, origin=PriceVersion.Origin.ADMIN,
            change_reason=f"Accepted proposal #{proposal.pk}: {proposal.reason}",
            source_url=proposal.source_url,
            created_by=user, import_run=proposal.import_run, locked=bool(current and current.locked),
        )
        _decide(proposal, PriceProposal.Status.ACCEPTED, user, note, version)
    return version


def reject_proposal(*, proposal: PriceProposal, user: AbstractBaseUser, note: str = "") -> None:
    """Record that ``user`` rejected a pending proposal; nothing is published or deleted."""
    if not can_edit_prices(user):
        raise PermissionDenied("Only price editors may decide proposals.")
    with transaction.atomic():
        proposal = PriceProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != PriceProposal.Status.PENDING:
            raise PriceRejected([Problem("status", f"proposal #{proposal.pk} was already decided")])
        _decide(proposal, PriceProposal.Status.REJECTED, user, note, None)


def _decide(
    proposal: PriceProposal, status: str, user: AbstractBaseUser, note: str, version: PriceVersion | None
) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = status, user, timezone.now()
    proposal.decision_note, proposal.published_version = note, version
    proposal.save()
