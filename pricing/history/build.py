"""From cached snapshots to the merged history: parse each era, replay each source, merge.

Pure: no Django imports (the command passes directories and settings in).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from pricing.history.eras import EraError, v2_payload_from_wheel
from pricing.history.snapshots import Snapshot, cached_snapshots
from pricing.history.timeline import ModelHistory, Replay, SnapshotFacts, merge, replay
from pricing.sources import genai_prices_v2, litellm
from pricing.sources.records import ParsedPayload, PayloadError, ProviderInfo

PROJECTS = {"genai-prices": "genai-prices", "litellm": "litellm"}
PRIMARY, SECONDARY = "genai-prices", "litellm"


def parse_snapshot(snapshot: Snapshot) -> ParsedPayload:
    """A snapshot's price data through the refresh's own parser for its source."""
    if snapshot.project == "genai-prices":
        return genai_prices_v2.parse(v2_payload_from_wheel(snapshot.content))
    return litellm.parse(snapshot.content)


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
    snapshots = cached_snapshots(cache_dir, PROJECTS[source])
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
    histories = merge(replays[PRIMARY], replays[SECONDARY], new_providers=new_providers)
    providers = {**replays[SECONDARY].providers, **replays[PRIMARY].providers}
    return histories, providers, replays
