"""The newest published LiteLLM price map, for setup: read from its newest release on the package
index (the wheel's bundled map, by HTTP Range, as the history's snapshots are) and kept in the
snapshot cache, so a later offline setup uses the copy it has. No Django imports.

A fresh install imports it after the genai-prices bundle: LiteLLM's context windows, its
``deprecation_date`` (the day a provider shuts a model down) and its prices as a cross-check.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from packaging.version import InvalidVersion, Version

from pricing.history.index import list_wheels, newest_release
from pricing.history.remote_zip import RemoteZipError
from pricing.history.snapshots import Snapshot, SnapshotError, cached_snapshots, fetch_snapshots

PROJECT = "litellm"


def newest_map(
    cache_dir: Path, *, progress: Callable[[str], None] = lambda _: None, timeout_s: float = 60
) -> tuple[Snapshot | None, str]:
    """(the newest release's map, what was done): from the index, else the newest cached copy,
    else ``None`` with the reason."""
    try:
        wheel = newest_release(list_wheels(PROJECT, timeout_s=timeout_s))
        if wheel is None:
            raise SnapshotError(f"the index lists no final release of {PROJECT}")
        for snapshot in fetch_snapshots([wheel], cache_dir=cache_dir, progress=progress, timeout_s=timeout_s):
            return snapshot, f"{snapshot.label} (uploaded {snapshot.upload_time:%Y-%m-%d %H:%M} UTC)"
        raise SnapshotError(f"{wheel.filename} bundles no price map")
    except (OSError, ValueError, SnapshotError, RemoteZipError) as error:
        cached = newest_cached(cache_dir)
        if cached is None:
            return None, (
                f"cannot read the newest {PROJECT} release from the package index ({error}), "
                "and no copy is cached"
            )
        return cached, (
            f"cannot read the newest {PROJECT} release from the package index ({error}); "
            f"using the cached {cached.label} (uploaded {cached.upload_time:%Y-%m-%d %H:%M} UTC)"
        )


def newest_cached(cache_dir: Path) -> Snapshot | None:
    """The cached snapshot of the highest version (a final release before any pre-release)."""

    def rank(snapshot: Snapshot) -> tuple[bool, Version, object]:
        try:
            version = Version(snapshot.version)
        except InvalidVersion:
            version = Version("0")
        return (not version.is_prerelease, version, snapshot.upload_time)

    snapshots = cached_snapshots(cache_dir, PROJECT)
    return max(snapshots, key=rank) if snapshots else None
