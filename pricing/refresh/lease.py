"""The per-source lease: one refresh of a source at a time.

A lease row expires, so a worker that dies never blocks the source for good; a run on the same
host takes it over at once when the process named in it no longer exists.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from pricing.models import ImportRun, SourceLock


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
    ttl = timedelta(seconds=settings.PRICE_REFRESH_LOCK_SECONDS)
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
        status=ImportRun.Status.FAILED,
        finished_at=now,
        error=f"abandoned: the process running it stopped before it finished ({why}); "
        f"nothing it had not committed was kept; run #{taken_by} took over",
    )


def release_lock(*, source: str, run_id: int) -> None:
    SourceLock.objects.filter(source=source, run_id=run_id).update(run_id=None, holder="", expires_at=None)


def keep_lock(*, source: str, run_id: int) -> bool:
    """Inside the transaction that writes the catalogue: extend the lease if ``run_id`` still
    holds it. The update locks the row until the transaction ends, so no other run can take
    the lease over while this one writes; False when it was already taken (this run outlived it)."""
    expires_at = timezone.now() + timedelta(seconds=settings.PRICE_REFRESH_LOCK_SECONDS)
    return SourceLock.objects.filter(source=source, run_id=run_id).update(expires_at=expires_at) == 1
