"""From cached snapshots to the merged history: parse each era, replay each source, merge.

Pure: no Django imports (the command passes directories and settings in).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

from pricing.history.eras import EraError, v2_payload_from_wheel
from pricing.history.snapshots import Snapshot, cached_snapshots
from pricing.history.timeline import ModelHistory, Replay, SnapshotFacts, merge, replay
from pricing.sources import genai_prices_v2, litellm
from pricing.sources.records import ParsedPayload, PayloadError, ProviderInfo

PROJECTS = {"genai-prices": "genai-prices", "litellm": "litellm", "tokencost": "tokencost"}
PRIMARY, SECONDARY = "genai-prices", "litellm"
# Packages that republish a source's data in their own releases: tokencost ships LiteLLM's price
# map. Their snapshots are evidence of that source only where the source's own snapshots leave a
# gap longer than REPUBLISHED_GAP (the index has no litellm wheels from 2023-12 to 2024-11), so a
# republisher's older copy never interleaves with, and contradicts, the source's own releases.
REPUBLISHERS = {"litellm": ("tokencost",)}
REPUBLISHED_GAP = timedelta(days=45)


def parse_snapshot(snapshot: Snapshot) -> ParsedPayload:
    """A snapshot's price data through the refresh's own parser for its source."""
    if snapshot.project == "genai-prices":
        return genai_prices_v2.parse(v2_payload_from_wheel(snapshot.content))
    return litellm.parse(snapshot.content)  # litellm's own map, or a republished copy of it


def source_snapshots(source: str, cache_dir: Path) -> list[Snapshot]:
    """The cached snapshots of ``source``: its own, and its republishers' inside its gaps."""
    own = cached_snapshots(cache_dir, PROJECTS[source])
    others = [s for project in REPUBLISHERS.get(source, ()) for s in cached_snapshots(cache_dir, project)]
    filling = [s for s in others if in_gap(s, own)]
    return sorted(own + filling, key=lambda s: (s.upload_time, s.project))


def in_gap(snapshot: Snapshot, own: list[Snapshot]) -> bool:
    """Whether ``snapshot`` falls between two consecutive ``own`` snapshots more than
    ``REPUBLISHED_GAP`` apart."""
    before = [s.upload_time for s in own if s.upload_time <= snapshot.upload_time]
    after = [s.upload_time for s in own if s.upload_time > snapshot.upload_time]
    if not before or not after:
        return False
    return after[0] - before[-1] > REPUBLISHED_GAP


def facts_of(snapshot: Snapshot) -> SnapshotFacts:
    return SnapshotFacts(
        snapshot.project,
        snapshot.version,
        snapshot.filename,
        snapshot.upload_time,
        snapshot.wheel_sha256,
        snapshot.content_sha256,
        snapshot.member,
    )


def replay_cached(source: str, cache_dir: Path, progress: Callable[[str], None] = lambda _: None) -> Replay:
    """Replay every cached snapshot of ``source``; unreadable ones are reported, not fatal."""
    snapshots = source_snapshots(source, cache_dir)
    unreadable: list[str] = []

    def parsed() -> Iterator[tuple[SnapshotFacts, ParsedPayload]]:
        for number, snapshot in enumerate(snapshots, 1):
            try:
                payload = parse_snapshot(snapshot)
            except (EraError, PayloadError, SyntaxError, ValueError) as error:
                unreadable.append(f"{snapshot.label}: {error}")
                continue
            progress(
                f"replay {number}/{len(snapshots)} {snapshot.label}: {len(payload.records)} priced models"
            )
            yield facts_of(snapshot), payload

    result = replay(source, parsed())
    result.refused += [f"unreadable snapshot {line}" for line in unreadable]
    result.parsed_share = (len(snapshots) - len(unreadable), len(snapshots))
    return result


def merged_history(
    cache_dir: Path, *, new_providers: list[str], progress: Callable[[str], None] = lambda _: None
) -> tuple[list[ModelHistory], dict[str, ProviderInfo], dict[str, Replay]]:
    """Both sources replayed from the cache and merged: (histories, providers, replays)."""
    replays = {source: replay_cached(source, cache_dir, progress) for source in (PRIMARY, SECONDARY)}
    first = replays[PRIMARY].snapshots
    histories = merge(
        replays[PRIMARY],
        replays[SECONDARY],
        new_providers=new_providers,
        legacy_before=first[0].upload_time if first else None,
    )
    providers = {**replays[SECONDARY].providers, **replays[PRIMARY].providers}
    return histories, providers, replays
